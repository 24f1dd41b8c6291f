// `vmp share`: the real CLI against a real S3-protocol server (s3rver) on loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runVmp } from '../../test/helpers/cli.ts';
import { startTestS3, type TestS3 } from './s3rver.test-helper.ts';
import { parseExpiry } from './share.ts';

let s3: TestS3;
const dir = mkdtempSync(join(tmpdir(), 'vmp-share-'));
beforeAll(async () => {
  s3 = await startTestS3(['vmp-share']);
});
afterAll(async () => {
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('uploads a file once and prints a link that downloads it until it expires', async () => {
  const file = join(dir, 'Spring-001.mp4');
  writeFileSync(file, 'pretend video');
  const env = { ...s3.env, VMP_DATA_DIR: join(dir, 'data') };
  const first = await runVmp(['share', file, '--storage', 's3://vmp-share/links', '--expires', '2h', '--json'], env);
  expect(first.code, first.stderr).toBe(0);
  const link = JSON.parse(first.stdout) as { url: string; key: string; expiresAt: string; uploaded: boolean };
  expect(link.uploaded).toBe(true);
  expect(link.key).toMatch(/^shared\/[0-9a-f]{32}\/Spring-001\.mp4$/);
  expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(7100_000);
  expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe('7200');
  expect(await (await fetch(link.url)).text()).toBe('pretend video');

  const again = await runVmp(['share', file, '--storage', 's3://vmp-share/links'], env);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).toContain('Already in s3://vmp-share/links/shared/');
  expect(again.stderr).not.toContain('S3RVER');
  expect(new URL(again.stdout.trim()).searchParams.get('X-Amz-Expires')).toBe('604800');

  const bad = await runVmp(['share', file, '--storage', 's3://vmp-share/links', '--expires', '30d'], env);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--expires must be a duration from 1s to 7d');
});

it('reads durations', () => {
  expect(parseExpiry('90s')).toBe(90);
  expect(parseExpiry('30m')).toBe(1800);
  expect(parseExpiry('7d')).toBe(604800);
  expect(() => parseExpiry('0')).toThrow(/--expires/);
});
