import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ocrAt } from '../src/engine/text/ocr.testing.ts';
import { makeClip, makeTextFile } from './fixtures/media.ts';
import { runVmp } from './helpers/cli.ts';

let dir: string;

const vmp = (args: string[]) => runVmp(args, { VMP_CACHE_DIR: join(dir, 'cache') });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-cli-text-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('vmp mix: captions and headlines from files', () => {
  it('burns clip.srt captions and one headline from headlines.txt per video; a cue past the clip end is a warning', async () => {
    const root = join(dir, 'ok');
    await makeClip(join(root, '1-hook'), 'hook', { color: '0x203050', duration: 1 });
    await makeTextFile(
      join(root, '1-hook'),
      'hook.srt',
      '1\n00:00:00,100 --> 00:00:00,600\nAPPLE BANANA\n\n2\n00:00:00,800 --> 00:00:05,000\nLATE CUE\n',
    );
    await makeTextFile(join(root, '1-hook'), 'headlines.txt', 'STOP SCROLLING\nWAIT FOR IT\n');
    await makeClip(join(root, '2-end'), 'end', { color: '0x402020', duration: 0.5 });
    const out = join(dir, 'out');
    const run = await vmp(['mix', root, '--out', out, '--format', '1:1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Warning: hook\.srt: the cue at 0:00\.800 \("LATE CUE"\) runs past the clip's end/);
    const report = JSON.parse(run.stdout) as { outputs: { path: string; headline?: string }[] };
    expect(report.outputs.map((o) => o.headline).sort()).toEqual(['STOP SCROLLING', 'WAIT FOR IT']);
    for (const o of report.outputs) {
      const text = await ocrAt(o.path, 0.3);
      expect(text).toContain(o.headline);
      expect(text).toContain('APPLE BANANA');
    }
  });

  it('a malformed cue stops with exit 2 naming the file and line', async () => {
    const root = join(dir, 'bad-srt');
    await makeClip(join(root, 'g'), 'a', { duration: 0.4 });
    await makeTextFile(
      join(root, 'g'),
      'a.srt',
      '1\n00:00:00,000 --> 00:00:01,000\nfine\n\n2\n00:00:01,000 -> 00:00:02\nbroken\n',
    );
    const run = await vmp(['mix', root, '--out', join(dir, 'out-bad')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(root, 'g', 'a.srt')} line 5: a cue needs a timing line`);
  });

  it('an empty headlines file stops with exit 2 naming it', async () => {
    const root = join(dir, 'empty-headlines');
    await makeClip(join(root, 'g'), 'a', { duration: 0.4 });
    await makeTextFile(join(root, 'g'), 'headlines.txt', '\n\n');
    const run = await vmp(['mix', root, '--out', join(dir, 'out-empty')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(root, 'g', 'headlines.txt')}: the file has no headlines`);
  });
});
