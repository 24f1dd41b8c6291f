import { describe, expect, it } from 'vitest';
import { UsageError } from './command.ts';
import { mixCommand, parseMixArgs } from './mix.ts';

describe('vmp mix --storage / --keep-remote (a farm without a shared folder)', () => {
  it('takes an s3:// bucket with --farm, and --keep-remote with it', () => {
    const farm = ['c', '--out', 'o', '--farm', 'redis://farm:6379'];
    expect(parseMixArgs([...farm, '--storage', 's3://vmp-farm/agency'], {})).toMatchObject({
      storage: 's3://vmp-farm/agency',
    });
    expect(parseMixArgs([...farm, '--storage', 's3://vmp-farm/agency', '--keep-remote'], {})).toMatchObject({
      keepRemote: true,
    });
    expect(parseMixArgs(farm, {}).storage).toBeUndefined();
  });

  it('names the flag that is wrong', () => {
    const farm = ['c', '--out', 'o', '--farm', 'redis://farm:6379'];
    const bad: Array<[string[], RegExp]> = [
      [['c', '--out', 'o', '--storage', 's3://vmp-farm/a'], /--storage goes with --farm/],
      [[...farm, '--keep-remote'], /--keep-remote goes with --storage/],
      [[...farm, '--storage', '/mnt/share'], /--storage must be s3:\/\/bucket\/prefix/],
      [[...farm, '--storage', 's3://No_Bucket/a'], /is not a bucket name/],
      [[...farm, '--storage', 's3://vmp-farm/a/../b'], /is not a storage key/],
      [
        [...farm, '--storage', 's3://vmp-farm/a', '--keep-remote', '--platform', 'reels'],
        /--keep-remote cannot go with --platform/,
      ],
    ];
    for (const [args, message] of bad) {
      expect(() => parseMixArgs(args, {}), args.join(' ')).toThrow(UsageError);
      expect(() => parseMixArgs(args, {}), args.join(' ')).toThrow(message);
    }
  });

  it('documents both in --help', () => {
    expect(mixCommand.usage).toMatch(/--storage <url>\s+with --farm: no shared folder/);
    expect(mixCommand.usage).toMatch(/--keep-remote\s+with --storage: leave the videos in the bucket/);
  });
});
