import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson, makeClip, makeImage, makeTextFile } from './fixtures/media.ts';
import { type CliRun, type RunOptions, runNode, runVmp, VMP_BIN } from './helpers/cli.ts';

let dir: string;
let cache: string;

/** Runs the real `vmp` binary; `onStderr` may act on progress (e.g. send Ctrl-C). */
function vmp(args: string[], onStderr?: RunOptions['onStderr'], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runVmp(args, { VMP_CACHE_DIR: cache, VMP_DATA_DIR: join(dir, 'data'), ...env }, onStderr);
}

let manual: string;
let auto: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-cli-'));
  cache = join(dir, 'cache');
  manual = join(dir, 'manual');
  // Natural order: "2-body" comes before "10-outro" even though "1" < "2" as text.
  await makeClip(join(manual, '1-intro'), 'red', { color: 'red', duration: 0.4 });
  await makeClip(join(manual, '1-intro'), 'blue', { color: 'blue', duration: 0.4, rotate: 90 });
  await makeClip(join(manual, '2-body'), 'green', { duration: 0.5, ext: 'webm' });
  await makeClip(join(manual, '2-body'), 'quiet', { color: 'yellow', duration: 0.4, audio: false });
  await makeTextFile(join(manual, '2-body'), 'notes.txt', 'remember the milk\n');
  await makeClip(join(manual, '10-outro'), 'end', { duration: 0.4, sar: '4:3' });
  auto = join(dir, 'auto');
  await makeClip(auto, 'a', { color: 'red', duration: 0.4 });
  await makeClip(auto, 'b', { color: 'green', duration: 0.4, vfr: true });
  await makeClip(auto, 'c', { color: 'blue', duration: 0.4, fps: 25 });
  await makeImage(auto, 'photo', 'png');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('vmp usage', () => {
  it('prints help and rejects unknown commands and bad flags with exit 2', async () => {
    const none = await vmp([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/probe/);
    expect(none.stderr).toMatch(/mix/);
    const unknown = await vmp(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const badFormat = await vmp(['mix', manual, '--out', join(dir, 'x'), '--format', '3:2']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be one of 9:16, 1:1, 4:5, 16:9/);
    expect(badFormat.stderr).toMatch(/Usage: vmp mix/);
    const missing = await vmp(['mix', join(dir, 'nope'), '--out', join(dir, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Folder ".*nope" was not found/);
  });
});

describe('vmp entry', () => {
  it('runs the sources in the repository even when a dist/ bundle is there, the bundle when packaged', async () => {
    // A copy of bin/vmp.mjs in a repo-like layout whose source and bundle say which one ran.
    const root = join(dir, 'entry');
    const desktop = join(root, 'desktop');
    await mkdir(join(desktop, 'bin'), { recursive: true });
    await copyFile(VMP_BIN, join(desktop, 'bin', 'vmp.mjs'));
    await writeFile(join(desktop, 'package.json'), '{ "type": "module" }\n');
    await symlink(fileURLToPath(new URL('../../node_modules', import.meta.url)), join(root, 'node_modules'));
    await mkdir(join(desktop, 'src', 'cli'), { recursive: true });
    await writeFile(join(desktop, 'src', 'cli', 'main.ts'), "const ran: string = 'source';\nconsole.log(ran);\n");
    await mkdir(join(desktop, 'dist', 'cli'), { recursive: true });
    await writeFile(join(desktop, 'dist', 'cli', 'main.mjs'), "console.log('stale bundle');\n");
    const inRepo = await runNode([join(desktop, 'bin', 'vmp.mjs')]);
    expect(inRepo.stderr).toBe('');
    expect(inRepo.stdout.trim()).toBe('source');
    await rm(join(desktop, 'src'), { recursive: true });
    const packaged = await runNode([join(desktop, 'bin', 'vmp.mjs')]);
    expect(packaged.stdout.trim()).toBe('stale bundle');
  });

  it('--version names the version and whether the sources or the bundle run', async () => {
    const pkg = JSON.parse(await readFile(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    const run = await vmp(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`vmp ${pkg.version} (source)\n`);
  });
});

describe('vmp probe', () => {
  it('prints a table with problems, or JSON, and exits 2 when a file cannot be mixed', async () => {
    const good = join(manual, '1-intro', 'blue.mp4');
    const bad = join(manual, '2-body', 'notes.txt');
    const table = await vmp(['probe', good, bad]);
    expect(table.code).toBe(2);
    expect(table.stdout).toMatch(/blue\.mp4\s+0\.40s\s+\S+ KB\s+240x320 \(rot 90\)/);
    expect(table.stdout).toMatch(/notes\.txt.*NOT_A_VIDEO/);
    expect(table.stdout).toMatch(/"notes\.txt" is a text file/);

    const json = await vmp(['probe', '--json', good, join(auto, 'photo.png')]);
    expect(json.code).toBe(2);
    const parsed = JSON.parse(json.stdout) as Array<{
      path: string;
      info: { video: { width: number } };
      problems: { code: string }[];
    }>;
    expect(parsed.map((r) => r.path)).toEqual([good, join(auto, 'photo.png')]);
    expect(parsed[0]?.info.video.width).toBe(240);
    expect(parsed[0]?.problems).toEqual([]);
    expect(parsed[1]?.problems.map((p) => p.code)).toEqual(['STILL_IMAGE']);

    const ok = await vmp(['probe', good]);
    expect(ok.code).toBe(0);
  });

  it('says so for an HDR clip when the FFmpeg in use lacks zscale', async () => {
    const hlg = await makeClip(join(dir, 'hdr'), 'hlg', { color: 'orange', duration: 0.4, hdr: { transfer: 'hlg' } });
    // This FFmpeg, minus zscale in its filter list.
    const wrapper = join(dir, 'hdr', 'ffmpeg-without-zscale');
    const real = process.env.FFMPEG_PATH || 'ffmpeg';
    await writeFile(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = -filters ] && { ${real} "$@" | grep -v ' zscale '; exit 0; }; done\nexec ${real} "$@"\n`,
      { mode: 0o755 },
    );
    const lacking = await vmp(['probe', hlg], undefined, { FFMPEG_PATH: wrapper });
    expect(lacking.code).toBe(2);
    expect(lacking.stdout).toMatch(/hlg\.mp4.*HDR_UNSUPPORTED/);
    expect(lacking.stdout).toMatch(/"hlg\.mp4" is HDR \(HLG\), and the FFmpeg in use lacks the zscale filter/);
    expect((await vmp(['probe', hlg])).code).toBe(0);
  });
});

interface Report {
  outputs: Array<{ path: string; sources: string[]; duration: number }>;
  skipped: Array<{ path: string; reason: string }>;
}

describe('vmp mix', () => {
  it('manual mode: one clip per group folder in natural order, bad files skipped, JSON report', async () => {
    const out = join(dir, 'out-manual');
    const run = await vmp(['mix', manual, '--out', out, '--count', '3', '--format', '1:1', '--seed', '7', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.outputs).toHaveLength(3);
    expect(report.skipped).toEqual([
      { path: join(manual, '2-body', 'notes.txt'), reason: expect.stringContaining('"notes.txt" is a text file') },
    ]);
    const seen = new Set<string>();
    for (const output of report.outputs) {
      expect(output.sources).toHaveLength(3);
      expect(output.sources[0]).toContain(`${join(manual, '1-intro')}/`);
      expect(output.sources[1]).toContain(`${join(manual, '2-body')}/`);
      expect(output.sources[2]).toBe(join(manual, '10-outro', 'end.mp4'));
      seen.add(output.sources.join('|'));
      expect(output.path.startsWith(`${out}/`)).toBe(true);
      expect(output.duration).toBeGreaterThan(1);
      const probe = await ffprobeJson(output.path);
      const video = probe.streams.find((s) => s.codec_type === 'video');
      expect([video?.width, video?.height]).toEqual([1080, 1080]);
    }
    expect(seen.size).toBe(3);
    // Progress and the skip notice went to stderr, not into the JSON.
    expect(run.stderr).toMatch(/Skipping notes\.txt/);
    expect(run.stderr).toMatch(/Rendering 3\/3/);
  });

  it('auto mode: K distinct clips per video from a folder of files; the photo is skipped', async () => {
    const out = join(dir, 'out-auto');
    const run = await vmp(['mix', auto, '--out', out, '--clips-per-output', '2', '--count', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.outputs).toHaveLength(2);
    for (const output of report.outputs) {
      expect(output.sources).toHaveLength(2);
      expect(new Set(output.sources).size).toBe(2);
      expect((await stat(output.path)).size).toBeGreaterThan(0);
    }
    expect(report.skipped.map((s) => s.path)).toEqual([join(auto, 'photo.png')]);
    expect(report.skipped[0]?.reason).toMatch(/still image/);
  });

  it('exits 2 when the input leaves nothing to mix, naming the group or saying what is possible', async () => {
    const tooMany = await vmp(['mix', manual, '--out', join(dir, 'x'), '--count', '50']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/only 4 different combinations/);

    const broken = join(dir, 'broken');
    await makeClip(join(broken, 'A'), 'ok', { duration: 0.4, audio: false });
    await makeTextFile(join(broken, 'B'), 'clip.mp4', 'not a clip');
    const noGood = await vmp(['mix', broken, '--out', join(dir, 'x')]);
    expect(noGood.code).toBe(2);
    expect(noGood.stderr).toMatch(/Group "B" has no usable clips/);
    expect(noGood.stderr).toMatch(/clip\.mp4/);

    const empty = join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    const nothing = await vmp(['mix', empty, '--out', join(dir, 'x')]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/holds no clips/);

    const tooFew = await vmp(['mix', auto, '--out', join(dir, 'x'), '--clips-per-output', '4']);
    expect(tooFew.code).toBe(2);
    expect(tooFew.stderr).toMatch(/at least 4 usable clips/);
  });

  it('exits 1 when a video fails while rendering; the others are still made and the report names the failure', async () => {
    const first = await vmp([
      'mix',
      auto,
      '--out',
      join(dir, 'out-ok'),
      '--clips-per-output',
      '2',
      '--count',
      '2',
      '--json',
    ]);
    expect(first.code, first.stderr).toBe(0);
    const names = (JSON.parse(first.stdout) as Report).outputs.map((o) => basename(o.path));
    // Same plan into a fresh folder, where a directory squats on the first video's .part file: FFmpeg cannot write it.
    const out = join(dir, 'out-fail');
    await mkdir(join(out, `${names[0]}.part`), { recursive: true });
    const run = await vmp(['mix', auto, '--out', out, '--clips-per-output', '2', '--count', '2', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report & { failed?: { index: number; error: string }[] };
    expect(report.outputs.map((o) => basename(o.path))).toEqual([names[1]]);
    expect(report.failed).toEqual([{ index: 0, error: expect.stringContaining(names[0]!) }]);
    expect(run.stderr).toMatch(/Video 1 failed/);
  });

  it('Ctrl-C cancels cleanly: exit 130, no partial files left', async () => {
    const out = join(dir, 'out-cancel');
    let sent = false;
    const run = await vmp(
      ['mix', auto, '--out', out, '--clips-per-output', '3', '--strategy', 'unique'],
      (text, child) => {
        if (!sent && /Rendering/.test(text)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/Cancelled/);
    const left = await readdir(out).catch(() => [] as string[]);
    expect(left.filter((f) => f.endsWith('.part') || f.endsWith('.tmp'))).toEqual([]);
    // Anything left under a final name is a whole video.
    for (const f of left.filter((name) => name.endsWith('.mp4'))) {
      expect((await ffprobeJson(join(out, f))).streams.length).toBeGreaterThan(0);
    }
  });
});
