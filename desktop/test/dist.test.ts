import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { extractAll, extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configOverrides,
  ffmpegSources,
  loadBuilderConfig,
  parseTargets,
  updatePublishConfig,
} from '../../scripts/dist.mjs';
import { bundledBinDir, locateTool } from '../src/engine/ffmpeg/locate.ts';
import { bundledFontFiles } from '../src/engine/text/fonts.ts';
import { makeClip } from './fixtures/media.ts';

const exec = promisify(execFile);
const desktopDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(desktopDir, '..');
const work = mkdtempSync(join(tmpdir(), 'vmp-dist-'));
const out = join(work, 'release');
const unpacked = join(out, 'linux-unpacked');
const resources = join(unpacked, 'resources');
const asar = join(resources, 'app.asar');

function onPath(tool: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  throw new Error(`${tool} is not on PATH`);
}

/**
 * An unpacked Electron stand-in: electron-builder's `dir` target only copies and renames it. It carries Electron's
 * fuse wire (sentinel, version 1, 9 fuses at Electron 45's defaults) so the configured fuses are really flipped.
 */
function standInElectron(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const wire = Buffer.concat([
    Buffer.from('#!/bin/sh\n# dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, 9]),
    Buffer.from('101100010'),
    Buffer.from('\necho "stand-in for Electron"\n'),
  ]);
  writeFileSync(join(dir, 'electron'), wire, { mode: 0o755 });
  writeFileSync(join(dir, 'version'), '45.4.1');
}

let files: string[] = [];
let seconds = 0;

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('npm run dist -- --linux dir (offline: stand-in Electron, FFmpeg from PATH)', () => {
  beforeAll(async () => {
    standInElectron(join(work, 'electron'));
    const ff = join(work, 'ffmpeg-bin');
    mkdirSync(ff);
    symlinkSync(onPath('ffmpeg'), join(ff, 'ffmpeg'));
    symlinkSync(onPath('ffprobe'), join(ff, 'ffprobe'));
    const started = performance.now();
    await exec('npm', ['run', 'dist', '--', '--linux', 'dir', `--config.directories.output=${out}`], {
      cwd: repo,
      env: { ...process.env, VMP_ELECTRON_DIST: join(work, 'electron'), VMP_FFMPEG_BIN_DIR: ff },
      maxBuffer: 64 * 1024 * 1024,
    });
    seconds = (performance.now() - started) / 1000;
    console.log(`npm run dist -- --linux dir took ${seconds.toFixed(1)} s`);
    files = listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/').replace(/^\//, ''));
  }, 600_000);

  it('packs the main entry named in desktop/package.json, the preload, the renderer and the migrations', () => {
    const { main } = JSON.parse(readFileSync(join(desktopDir, 'package.json'), 'utf8')) as { main: string };
    expect(files).toContain(main);
    expect(files).toContain('dist/preload/preload.cjs');
    expect(files).toContain('dist/renderer/index.html');
    expect(files).toContain('dist/main/ffmpeg-worker.mjs');
    expect(files).toContain('dist/cli/main.mjs');
    expect(files.some((f) => /^drizzle\/.+\.sql$/.test(f))).toBe(true);
    // Electron names the data and logs folders after productName: the folder `vmp serve` shares.
    const packed = JSON.parse(extractFile(asar, 'package.json').toString()) as { productName?: string; main: string };
    expect(packed).toMatchObject({ productName: 'Video Mixer Pro', main });
  });

  it('packs nothing that does not run: no sources, tests, maps, dev tools or Electron itself', () => {
    const excluded = files.filter(
      (f) =>
        /\.(ts|tsx|map|cc|cpp)$/.test(f) ||
        /(^|\/)(test|tests|__tests__)\//.test(f) ||
        /\.test\./.test(f) ||
        /^src\//.test(f) ||
        /^node_modules\/(electron|electron-builder|vite|vitest|playwright-core|typescript|tsx|esbuild|@biomejs|@vmp|ffmpeg-static|ffprobe-static|react|@types)(\/|$)/.test(
          f,
        ),
    );
    expect(excluded).toEqual([]);
    const packages = new Set(files.filter((f) => /^node_modules\/[^/]+$/.test(f)).map((f) => f.split('/')[1]));
    expect([...packages].sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path', 'tinypool']);
  });

  it("unpacks better-sqlite3's native module from the asar", () => {
    const node = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(existsSync(join(resources, 'app.asar.unpacked', node))).toBe(true);
    expect(statFile(asar, node)).toMatchObject({ unpacked: true });
  });

  it('ships ffmpeg and ffprobe in resources/, where the FFmpeg lookup finds them first', async () => {
    for (const tool of ['ffmpeg', 'ffprobe'] as const) {
      const { stdout } = await exec(join(resources, tool), ['-version']);
      expect(stdout).toMatch(new RegExp(`^${tool} version`));
      // PATH also has this tool: the bundled copy still wins, as it does in the app.
      expect(locateTool(tool, { bundledDir: resources, env: { PATH: process.env.PATH } })).toBe(join(resources, tool));
      expect(locateTool(tool, { env: { PATH: process.env.PATH, VMP_RESOURCES_DIR: resources } })).toBe(
        join(resources, tool),
      );
    }
    expect(bundledBinDir({ VMP_RESOURCES_DIR: resources })).toBe(resources);
    expect(existsSync(join(resources, 'THIRD_PARTY_NOTICES.md'))).toBe(true);
    // The text fonts in resources/fonts, found there by the engine's own lookup.
    expect(bundledFontFiles({ VMP_RESOURCES_DIR: resources }).map((f) => f.replace(resources, ''))).toEqual([
      '/fonts/NotoSans_700Bold.ttf',
      '/fonts/NotoSansArabic_700Bold.ttf',
      '/fonts/NotoSansHans-Bold.otf',
      '/fonts/NotoEmoji_700Bold.ttf',
    ]);
  });

  it('flips the Electron fuses: no RunAsNode, NODE_OPTIONS or inspect; asar integrity on; app only from the asar', async () => {
    const wire = await getCurrentFuseWire(join(unpacked, 'video-mixer-pro'));
    const on = (fuse: FuseV1Options) => String.fromCharCode(wire[fuse] as number) === '1';
    expect(on(FuseV1Options.RunAsNode)).toBe(false);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(false);
  });

  it('holds everything its code needs: the packed CLI renders with the packed modules and the bundled FFmpeg', async () => {
    const app = join(work, 'extracted');
    extractAll(asar, app);
    const clips = join(work, 'clips');
    await makeClip(clips, 'a.mp4', { duration: 1 });
    await makeClip(clips, 'b.mp4', { duration: 1, color: 'red' });
    // No FFmpeg on PATH and no ffmpeg-static: only resources/ can provide it.
    const env = { HOME: work, PATH: '/nonexistent', VMP_RESOURCES_DIR: resources, VMP_DATA_DIR: join(work, 'data') };
    const { stdout } = await exec(
      process.execPath,
      [
        join(app, 'dist/cli/main.mjs'),
        'mix',
        clips,
        '--out',
        join(work, 'outputs'),
        '--clips-per-output',
        '2',
        '--count',
        '1',
      ],
      { env },
    );
    const made = stdout.trim().split('\n');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(/\.mp4$/);
    expect(existsSync(made[0]!)).toBe(true);
    const sqlite = await exec(
      process.execPath,
      ['-e', "const D=require('better-sqlite3'); console.log(new D(':memory:').prepare('select 41+1 as n').get().n)"],
      { cwd: app, env },
    );
    expect(sqlite.stdout.trim()).toBe('42');
  });
});

/** Serves ffmpeg-static release assets (small scripts) the way GitHub does, and records what was asked for. */
async function releaseMirror(): Promise<{ url: string; requested: string[]; close(): Promise<void> }> {
  const requested: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requested.push(path);
    const asset = /^\/b6\.1\.1\/(ffmpeg|ffprobe)-([a-z0-9]+)-([a-z0-9]+)\.gz$/.exec(path);
    if (asset) {
      res.end(gzipSync(`#!/bin/sh\necho "${asset[1]} version mirror-${asset[2]}-${asset[3]}"\n`));
    } else if (/^\/b6\.1\.1\/[a-z0-9]+-[a-z0-9]+\.LICENSE$/.test(path)) {
      res.end('GPL v3 (mirror)');
    } else if (/^\/b6\.1\.1\/[a-z0-9]+-[a-z0-9]+\.README$/.test(path)) {
      res.end('built from FFmpeg 6.1.1 (mirror)');
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requested,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("FFmpeg for another target, through ffmpeg-static's own installer", () => {
  // The installer runs synchronously (spawnSync), so it runs in a child process while this one serves the mirror.
  const stage = (platform: string, arch: string, dest: string, mirror: string) =>
    exec(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { stageFfmpeg } from ${JSON.stringify(pathToFileURL(join(repo, 'scripts', 'dist.mjs')).href)};
         stageFfmpeg(${JSON.stringify(platform)}, ${JSON.stringify(arch)}, { dest: ${JSON.stringify(dest)} });`,
      ],
      { env: { ...process.env, FFMPEG_BINARIES_URL: mirror, XDG_CACHE_HOME: join(work, 'cache'), CI: '1' } },
    );

  it('fetches ffmpeg and ffprobe for linux-arm64 from the ffmpeg-static release, with the licence', async () => {
    const mirror = await releaseMirror();
    try {
      const dest = join(work, 'stage-linux-arm64');
      await stage('linux', 'arm64', dest, mirror.url);
      expect(mirror.requested).toEqual([
        '/b6.1.1/ffmpeg-linux-arm64.gz',
        '/b6.1.1/linux-arm64.README',
        '/b6.1.1/linux-arm64.LICENSE',
        '/b6.1.1/ffprobe-linux-arm64.gz',
        '/b6.1.1/linux-arm64.README',
        '/b6.1.1/linux-arm64.LICENSE',
      ]);
      expect((await exec(join(dest, 'ffmpeg'), ['-version'])).stdout).toContain('ffmpeg version mirror-linux-arm64');
      expect((await exec(join(dest, 'ffprobe'), ['-version'])).stdout).toContain('ffprobe version mirror-linux-arm64');
      expect(readFileSync(join(dest, 'ffmpeg.LICENSE'), 'utf8')).toBe('GPL v3 (mirror)');
    } finally {
      await mirror.close();
    }
  });

  it('ships the x64 builds for Windows on Arm, ffprobe from ffprobe-static', async () => {
    const mirror = await releaseMirror();
    try {
      const dest = join(work, 'stage-win32-arm64');
      await stage('win32', 'arm64', dest, mirror.url);
      expect(mirror.requested[0]).toBe('/b6.1.1/ffmpeg-win32-x64.gz');
      expect(mirror.requested.some((p) => p.includes('ffprobe'))).toBe(false);
      expect(existsSync(join(dest, 'ffmpeg.exe'))).toBe(true);
      expect(readFileSync(join(dest, 'ffprobe.exe')).subarray(0, 2).toString()).toBe('MZ');
    } finally {
      await mirror.close();
    }
  });

  it('names the fix when the download fails', async () => {
    const dest = join(work, 'stage-fail');
    const error = await stage('darwin', 'arm64', dest, 'http://127.0.0.1:9').catch((e: { stderr: string }) => e);
    expect((error as { stderr: string }).stderr).toMatch(/could not fetch ffmpeg for darwin-arm64.*VMP_FFMPEG_BIN_DIR/);
  });
});

describe('scripts/dist.mjs helpers', () => {
  it('reads the targets from electron-builder flags, and the yml arches when the flags name none', () => {
    const config = loadBuilderConfig();
    expect(parseTargets(['--linux', 'dir'], config).pairs).toEqual([{ platform: 'linux', arch: process.arch }]);
    expect(parseTargets(['--win'], config).pairs).toEqual([
      { platform: 'win32', arch: 'x64' },
      { platform: 'win32', arch: 'arm64' },
    ]);
    expect(parseTargets(['--mac', '--arm64'], config).pairs).toEqual([{ platform: 'darwin', arch: 'arm64' }]);
    expect(parseTargets(['--linux', 'deb', 'AppImage', '--x64', '--arm64'], config).pairs).toHaveLength(2);
  });

  it('picks FFmpeg sources per target, with x64 under emulation for Windows on Arm', () => {
    expect(ffmpegSources('linux', 'x64')).toMatchObject({ ffprobe: 'ffprobe-static', emulated: false });
    expect(ffmpegSources('linux', 'arm64')).toMatchObject({ ffprobe: 'ffmpeg-static', binaryArch: 'arm64' });
    expect(ffmpegSources('win32', 'arm64')).toMatchObject({ binaryArch: 'x64', emulated: true });
    expect(ffmpegSources('darwin', 'arm64')).toMatchObject({ ffprobe: 'ffprobe-static', binaryArch: 'arm64' });
    expect(() => ffmpegSources('freebsd', 'x64')).toThrow(/VMP_FFMPEG_BIN_DIR/);
  });

  it('configures updates only when asked, and skips the native rebuild only offline', () => {
    expect(updatePublishConfig({})).toBeNull();
    expect(updatePublishConfig({ VMP_UPDATE_URL: 'https://updates.example/vmp/' })).toEqual({
      provider: 'generic',
      url: 'https://updates.example/vmp/',
    });
    expect(updatePublishConfig({ VMP_UPDATE_GITHUB: 'acme/video-mixer-pro' })).toEqual({
      provider: 'github',
      owner: 'acme',
      repo: 'video-mixer-pro',
    });
    expect(() => updatePublishConfig({ VMP_UPDATE_URL: 'http://updates.example/' })).toThrow(/https/);
    expect(() => updatePublishConfig({ VMP_UPDATE_GITHUB: 'not a repo' })).toThrow(/owner\/repo/);
    expect(configOverrides({})).toEqual({ npmRebuild: true, publish: null });
    expect(configOverrides({ VMP_ELECTRON_DIST: '/opt/electron' })).toEqual({
      npmRebuild: false,
      publish: null,
      electronDist: '/opt/electron',
    });
  });
});
