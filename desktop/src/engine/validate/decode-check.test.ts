import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson, makeClip, truncatedCopy } from '../../../test/fixtures/media.ts';
import { runFfmpeg, setCommandLogger } from '../ffmpeg/run.ts';
import { contentKey } from '../hash/content-key.ts';
import { probeFile } from '../probe/probe.ts';
import { thumbnail } from '../thumbnails/thumbnail.ts';
import { analyseClip } from './analyse.ts';
import { checkDecodes, checkDecodesBatch, checkDecodesSeparately } from './decode-check.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-decode-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  setCommandLogger(() => {});
});

function recordCommands(): string[] {
  const commands: string[] = [];
  setCommandLogger((command) => commands.push(command));
  return commands;
}
const tools = (commands: string[]) => commands.map((c) => (/ffprobe/.test(c.split(' ')[0]!) ? 'ffprobe' : 'ffmpeg'));

describe('the decode check in one FFmpeg run', () => {
  it('imports a clip with one ffprobe and one FFmpeg, its still made in the same run as the separate one would be', async () => {
    const clip = await makeClip(dir, 'import', { duration: 2 });
    const cacheDir = join(dir, 'thumbs');
    const commands = recordCommands();
    const result = await analyseClip(clip, { thumbnail: { cacheDir } });
    expect(result.problems).toEqual([]);
    expect(tools(commands)).toEqual(['ffprobe', 'ffmpeg']);
    expect(result.thumbnail).toMatch(/thumb-c2-[0-9a-f]{64}-w320\.jpg$/);
    const still = await readFile(result.thumbnail!);
    const probe = await ffprobeJson(result.thumbnail!);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 240 });
    // The same picture as the still's own run makes.
    const alone = await thumbnail(clip, { cacheDir: join(dir, 'thumbs-alone'), hash: await contentKey(clip) });
    expect(still.equals(await readFile(alone))).toBe(true);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // Cached by content: a second import of the same clip runs no still at all.
    commands.length = 0;
    expect((await analyseClip(clip, { thumbnail: { cacheDir } })).thumbnail).toBe(result.thumbnail);
    expect(tools(commands)).toEqual(['ffprobe', 'ffmpeg']);
    expect(commands[1]).not.toContain('image2');
  });

  it('gives the separate runs’ verdict and words for good, cut-off and unseekable files', async () => {
    const whole = await makeClip(dir, 'whole', { duration: 1 });
    const faststart = await makeClip(dir, 'whole-fs', { duration: 1, faststart: true });
    const webm = await makeClip(dir, 'whole-webm', { duration: 1, ext: 'webm' });
    const ts = join(dir, 'obs.ts');
    await runFfmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=30:d=4', '-f', 'lavfi', '-i', 'sine=d=4'],
      ...['-c:v', 'libx264', '-x264-params', 'keyint=infinite:scenecut=0', '-c:a', 'aac', '-shortest'],
      ...['-f', 'mpegts', '-y', ts],
    ]);
    const files = [
      whole,
      faststart,
      webm,
      ts,
      await truncatedCopy(whole, 0.6, join(dir, 'cut.mp4')),
      await truncatedCopy(faststart, 0.9, join(dir, 'cut-fs.mp4')),
      await truncatedCopy(webm, 0.7, join(dir, 'cut.webm')),
    ];
    const verdicts: string[] = [];
    for (const file of files) {
      const info = await probeFile(file).catch(() => null);
      if (!info) continue;
      for (const variant of [info, { ...info, duration: 100 }]) {
        for (const options of [{}, { fullDecodeMaxSeconds: 0 }]) {
          const once = await checkDecodes(file, variant, options);
          expect(once).toEqual(await checkDecodesSeparately(file, variant, options));
          verdicts.push(`${file.split('/').pop()} ${variant.duration} ${JSON.stringify(options)}: ${once.ok}`);
        }
      }
    }
    // All of them in one batch (one FFmpeg run, then clip by clip when it is spoiled): the same verdicts again.
    const probed = [];
    for (const file of files) {
      const info = await probeFile(file).catch(() => null);
      if (info) probed.push({ path: file, info });
    }
    const batch = await checkDecodesBatch(probed);
    for (const [i, { path, info }] of probed.entries()) {
      expect(batch[i]!.decode).toEqual(await checkDecodesSeparately(path, info));
    }
    const good = probed.filter((p) => [whole, faststart, webm].includes(p.path));
    const commands = recordCommands();
    expect((await checkDecodesBatch(good)).map((r) => r.decode.ok)).toEqual([true, true, true]);
    expect(tools(commands)).toEqual(['ffmpeg']);
    // Both kinds of verdict were compared (good files pass; cut-offs and a 100 s claim fail).
    expect(verdicts.some((v) => v.endsWith('true'))).toBe(true);
    expect(verdicts.some((v) => v.endsWith('false'))).toBe(true);
  }, 120_000);
});
