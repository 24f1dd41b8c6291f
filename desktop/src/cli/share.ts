import { resolve } from 'node:path';
import { openStorage } from '../storage/index.ts';
import { parseExpiry, shareFile } from '../storage/share.ts';
import { type CliCommand, EXIT_OK, parseOrUsage, UsageError } from './command.ts';

const USAGE = `Usage: vmp share <file> --storage s3://bucket/prefix [--expires 7d] [--json]

  Uploads <file> (a video vmp made, or any file) to the bucket once, keyed by its content, and prints a download
  link anyone can use until it expires.

  --storage <url>    s3://bucket/prefix; endpoint, region and credentials from the AWS variables
                     (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_PROFILE)
  --expires <time>   how long the link works: 90s, 30m, 12h, 7d (default 7d, the most S3 allows)
  --json             stdout: {"url","key","expiresAt","uploaded"}`;

export const shareCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOrUsage({
      args,
      allowPositionals: true,
      strict: true,
      options: { storage: { type: 'string' }, expires: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw new UsageError('Give exactly one file to share.');
    if (!values.storage) throw new UsageError('--storage s3://bucket/prefix is required: where the file is kept.');
    let seconds: number;
    try {
      seconds = parseExpiry(values.expires ?? '7d');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const storage = openStorage(values.storage);
    const link = await shareFile(storage, resolve(positionals[0]!), seconds);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ ...link, expiresAt: link.expiresAt.toISOString() })}\n`);
    } else {
      io.stdout.write(`${link.url}\n`);
      io.stderr.write(
        `${link.uploaded ? 'Uploaded to' : 'Already in'} ${storage.url}/${link.key}; the link works until ${link.expiresAt.toISOString()}.\n`,
      );
    }
    return EXIT_OK;
  },
};
