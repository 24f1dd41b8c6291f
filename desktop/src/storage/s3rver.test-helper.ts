import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

export interface TestS3 {
  endpoint: string;
  /** AWS variables that point the SDK at this server (s3rver's fixed test credentials). */
  env: NodeJS.ProcessEnv;
  /** Every object created (PUT, POST, copy), in order: "bucket/key", as the server saw it. */
  readonly created: string[];
  close(): Promise<void>;
}

/** A real S3-protocol server (s3rver) on loopback with the given buckets, its data in a temporary folder. */
export async function startTestS3(buckets: string[]): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'vmp-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const created: string[] = [];
  server.on(
    'event',
    (event: { Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[] }) => {
      for (const r of event.Records) {
        if (r.eventName.startsWith('ObjectCreated')) created.push(`${r.s3.bucket.name}/${r.s3.object.key}`);
      }
    },
  );
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    created,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_MAX_ATTEMPTS: '2',
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
