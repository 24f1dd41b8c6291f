// A farm worker draws what the local renderer draws: captions from clip.srt and a headline, read back by OCR.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ocrAt } from '../src/engine/text/ocr.testing.ts';
import { makeClip, makeTextFile } from './fixtures/media.ts';
import { dropPrefix, startVmp, stop, testFarmEnv, type VmpProcess } from './helpers/farm.ts';

const REDIS = process.env.VMP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let dir: string;
const prefix = `vmptest-${randomBytes(4).toString('hex')}`;
const running: VmpProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-farm-captions-'));
});
afterAll(async () => {
  await Promise.all(running.map((p) => stop(p, 'SIGKILL')));
  await dropPrefix(REDIS, prefix);
  await rm(dir, { recursive: true, force: true });
});

describe('vmp mix --farm: text', () => {
  it('burns the captions of clip.srt and the headline, as a local render does', async () => {
    const share = join(dir, 'share');
    const root = join(share, 'project');
    await makeClip(join(root, '1-hook'), 'hook', { color: '0x203050', duration: 1 });
    await makeTextFile(join(root, '1-hook'), 'hook.srt', '1\n00:00:00,100 --> 00:00:00,800\nAPPLE BANANA\n');
    await makeTextFile(join(root, '1-hook'), 'headlines.txt', 'STOP SCROLLING\n');
    await makeClip(join(root, '2-end'), 'end', { color: '0x402020', duration: 0.5 });
    const env = { ...testFarmEnv(prefix), VMP_CACHE_DIR: join(dir, 'local-cache') };
    const worker = startVmp(['worker', '--farm', REDIS, '--root', share, '--cache-dir', join(dir, 'wcache')], env);
    running.push(worker);
    await worker.waitFor(/waiting for render batches/);
    const out = join(share, 'out');
    const mix = startVmp(['mix', root, '--out', out, '--format', '1:1', '--farm', REDIS, '--json'], env);
    running.push(mix);
    const { code } = await mix.exited;
    expect(code, mix.stderr).toBe(0);
    const report = JSON.parse(mix.stdout) as { outputs: { path: string; worker?: string }[] };
    expect(report.outputs).toHaveLength(1);
    expect(report.outputs[0]!.worker).toMatch(/:\d+$/);
    const text = await ocrAt(report.outputs[0]!.path, 0.3);
    expect(text).toContain('STOP SCROLLING');
    expect(text).toContain('APPLE BANANA');
  }, 120_000);
});
