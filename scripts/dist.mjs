#!/usr/bin/env node
// `npm run dist -- <electron-builder flags>`: builds the renderer and the bundles into build/app/dist, stages FFmpeg for every target
// platform/arch in build/ffmpeg/<os>-<arch>/ and the text fonts in build/fonts/ (electron-builder.yml copies them into
// resources/), then runs
// electron-builder with the same flags its own CLI takes.
//
// Environment:
//   VMP_FFMPEG_BIN_DIR  folder holding ffmpeg and ffprobe (.exe on Windows) to ship instead of downloading them
//   VMP_ELECTRON_DIST   unpacked Electron to package instead of downloading one; offline mode: no native rebuild
//   VMP_UPDATE_URL      generic auto-update feed (https://…/latest) or VMP_UPDATE_GITHUB=owner/repo; none: no updates
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Where the bundles are built for packaging (electron-builder.yml takes `dist/` from here). */
export const APP_STAGE = join(root, 'build', 'app', 'dist');

/** electron-builder's ${os} macro for a Node platform name. */
export const BUILDER_OS = { darwin: 'mac', win32: 'win', linux: 'linux' };

export function ffmpegStageDir(platform, arch, base = join(root, 'build', 'ffmpeg')) {
  return join(base, `${BUILDER_OS[platform]}-${arch}`);
}

const exeName = (tool, platform) => (platform === 'win32' ? `${tool}.exe` : tool);

// What ffmpeg-static's release (b6.1.1) and ffprobe-static 3.1 ship, per platform.
const FFMPEG_STATIC = { darwin: ['x64', 'arm64'], linux: ['x64', 'ia32', 'arm64', 'arm'], win32: ['x64', 'ia32'] };
const FFPROBE_STATIC = { darwin: ['x64', 'arm64'], linux: ['x64', 'ia32'], win32: ['x64', 'ia32'] };

/**
 * Where each tool comes from for a target. Windows on Arm has no native build in either package; it runs the x64
 * build under the system's x64 emulation. ffprobe comes from ffprobe-static where it ships the target (no
 * download), otherwise from ffmpeg-static's release, which holds ffprobe builds beside ffmpeg.
 */
export function ffmpegSources(platform, arch) {
  const supported = FFMPEG_STATIC[platform];
  if (!supported) throw new Error(`No FFmpeg build for platform ${platform}: set VMP_FFMPEG_BIN_DIR.`);
  const binaryArch = platform === 'win32' && arch === 'arm64' ? 'x64' : arch;
  if (!supported.includes(binaryArch)) {
    throw new Error(`No FFmpeg build for ${platform}-${arch} in ffmpeg-static: set VMP_FFMPEG_BIN_DIR.`);
  }
  return {
    binaryArch,
    emulated: binaryArch !== arch,
    ffmpeg: 'ffmpeg-static',
    ffprobe: FFPROBE_STATIC[platform]?.includes(binaryArch) ? 'ffprobe-static' : 'ffmpeg-static',
  };
}

/** Files beside the binaries that carry their licence terms; shipped with them. */
const isNotice = (name) => /^(licen[cs]e|copying|readme)|\.(licen[cs]e|readme)$/i.test(name);

function copyExecutable(from, to) {
  copyFileSync(from, to); // follows symlinks: the staged file is the binary itself
  chmodSync(to, 0o755);
}

/** Copies ffmpeg and ffprobe (and licence files) from a folder the builder chose. */
export function stageFromFolder(folder, platform, dest) {
  for (const tool of ['ffmpeg', 'ffprobe']) {
    const name = exeName(tool, platform);
    const from = join(folder, name);
    if (!existsSync(from)) {
      throw new Error(`VMP_FFMPEG_BIN_DIR=${folder} has no ${name}: put ffmpeg and ffprobe for the target there.`);
    }
    copyExecutable(from, join(dest, name));
  }
  for (const name of readdirSync(folder)) {
    if (isNotice(name) && statSync(join(folder, name)).isFile()) copyFileSync(join(folder, name), join(dest, name));
  }
}

/**
 * Runs ffmpeg-static's own install script for a target (npm_config_platform/arch pick the release asset); it
 * downloads, through its cache, to the path in FFMPEG_BIN. FFMPEG_BINARIES_URL in `env` points it at a mirror.
 */
function runFfmpegStaticInstaller(tool, platform, arch, target, env) {
  const installedDir = dirname(require.resolve('ffmpeg-static/package.json'));
  let packageDir = installedDir;
  let scratch = null;
  if (tool === 'ffprobe') {
    // Same installer and release, pointed at the ffprobe asset: a copy whose package.json names ffprobe.
    scratch = mkdtempSync(join(tmpdir(), 'vmp-ffprobe-installer-'));
    for (const file of ['install.js', 'index.js']) copyFileSync(join(packageDir, file), join(scratch, file));
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    pkg['ffmpeg-static']['executable-base-name'] = 'ffprobe';
    pkg['ffmpeg-static']['binary-path-env-var'] = 'FFPROBE_BIN';
    writeFileSync(join(scratch, 'package.json'), JSON.stringify(pkg));
    packageDir = scratch;
  }
  try {
    const result = spawnSync(process.execPath, [join(packageDir, 'install.js')], {
      cwd: packageDir,
      stdio: 'inherit',
      env: {
        ...env,
        // The copy resolves the installer's dependencies as the package does: its own node_modules first.
        NODE_PATH: [join(installedDir, 'node_modules'), join(root, 'node_modules')].join(delimiter),
        [tool === 'ffmpeg' ? 'FFMPEG_BIN' : 'FFPROBE_BIN']: target,
        npm_config_platform: platform,
        npm_config_arch: arch,
      },
    });
    if (result.status !== 0 || !existsSync(target)) {
      throw new Error(
        `ffmpeg-static's installer could not fetch ${tool} for ${platform}-${arch} (exit ${result.status}). ` +
          'Check the internet connection, or set VMP_FFMPEG_BIN_DIR to a folder holding ffmpeg and ffprobe.',
      );
    }
    chmodSync(target, 0o755);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Puts ffmpeg and ffprobe for one target into its stage folder (emptied first). */
export function stageFfmpeg(platform, arch, { env = process.env, dest = ffmpegStageDir(platform, arch) } = {}) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  if (env.VMP_FFMPEG_BIN_DIR) {
    stageFromFolder(resolve(env.VMP_FFMPEG_BIN_DIR), platform, dest);
    return { dest, from: env.VMP_FFMPEG_BIN_DIR };
  }
  const sources = ffmpegSources(platform, arch);
  if (sources.emulated) {
    console.warn(`dist: no native FFmpeg for ${platform}-${arch}; shipping the ${sources.binaryArch} build.`);
  }
  runFfmpegStaticInstaller('ffmpeg', platform, sources.binaryArch, join(dest, exeName('ffmpeg', platform)), env);
  if (sources.ffprobe === 'ffprobe-static') {
    const packageDir = dirname(require.resolve('ffprobe-static/package.json'));
    const name = exeName('ffprobe', platform);
    copyExecutable(join(packageDir, 'bin', platform, sources.binaryArch, name), join(dest, name));
  } else {
    runFfmpegStaticInstaller('ffprobe', platform, sources.binaryArch, join(dest, exeName('ffprobe', platform)), env);
  }
  return { dest, from: `${sources.ffmpeg} + ${sources.ffprobe}` };
}

/** Where the text fonts are staged (electron-builder.yml copies them into resources/fonts/). */
export const FONTS_STAGE = join(root, 'build', 'fonts');

/**
 * Copies the fonts the engine draws text with (engine/text/fonts.ts lists them: one list, read through tsx) into
 * `dest`; the packaged engine finds them in resources/fonts (bundledFontFiles).
 */
export function stageFonts(dest = FONTS_STAGE) {
  const result = spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    [
      '-e',
      "import { bundledFontFiles } from './desktop/src/engine/text/fonts.ts'; console.log(JSON.stringify(bundledFontFiles({})));",
    ],
    { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' },
  );
  if (result.status !== 0) throw new Error(`could not list the text fonts: ${result.stderr || result.error}`);
  const files = JSON.parse(result.stdout.trim().split('\n').pop());
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const file of files) copyFileSync(file, join(dest, basename(file)));
  return files.map((f) => basename(f));
}

/** electron-builder `publish` settings for auto-update, from the environment; null when none is configured. */
export function updatePublishConfig(env = process.env) {
  if (env.VMP_UPDATE_URL) {
    const url = new URL(env.VMP_UPDATE_URL);
    if (url.protocol !== 'https:') throw new Error(`VMP_UPDATE_URL must be an https:// URL, got ${url.href}.`);
    return { provider: 'generic', url: url.href };
  }
  if (env.VMP_UPDATE_GITHUB) {
    const match = /^([\w.-]+)\/([\w.-]+)$/.exec(env.VMP_UPDATE_GITHUB);
    if (!match) throw new Error(`VMP_UPDATE_GITHUB must be owner/repo, got "${env.VMP_UPDATE_GITHUB}".`);
    return { provider: 'github', owner: match[1], repo: match[2] };
  }
  return null;
}

/** Settings this script adds on top of electron-builder.yml. */
export function configOverrides(env = process.env) {
  const offline = Boolean(env.VMP_ELECTRON_DIST);
  const overrides = {
    // Native modules are rebuilt against Electron's headers, which are downloaded: not possible offline.
    npmRebuild: !offline,
    publish: updatePublishConfig(env),
  };
  if (offline) overrides.electronDist = resolve(env.VMP_ELECTRON_DIST);
  return overrides;
}

/** Archs electron-builder.yml lists for a platform's targets (used when the flags name none). */
export function configuredArchs(platform, config) {
  const archs = new Set();
  for (const target of [config[BUILDER_OS[platform]]?.target ?? []].flat()) {
    for (const arch of [target?.arch ?? []].flat()) archs.add(arch);
  }
  return archs.size ? [...archs] : [process.arch];
}

/**
 * Parses electron-builder's CLI flags with its own parser and lists the (platform, arch) pairs it will build: the
 * arches the flags name, or, for installer targets named without one, those electron-builder.yml lists.
 */
export function parseTargets(argv, fileConfig) {
  const { createYargs, configureBuildCommand, normalizeOptions } = require('electron-builder/out/builder.js');
  const { Arch } = require('builder-util');
  const args = configureBuildCommand(createYargs()).parse(argv);
  const options = normalizeOptions({ ...args });
  const pairs = [];
  for (const [platform, archs] of options.targets) {
    const names = archs.size ? [...archs.keys()].map((a) => Arch[a]) : configuredArchs(platform.nodeName, fileConfig);
    for (const arch of names) pairs.push({ platform: platform.nodeName, arch });
  }
  return { options, pairs };
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}).`);
}

export function loadBuilderConfig() {
  return require('js-yaml').load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
}

async function main() {
  const argv = process.argv.slice(2);
  const started = Date.now();
  const { options, pairs } = parseTargets(argv, loadBuilderConfig());

  // Built into build/app/dist, not desktop/dist: tests and `vmp serve` use desktop/dist while a release builds.
  console.log(`dist: building the renderer and the bundles into ${APP_STAGE}`);
  rmSync(APP_STAGE, { recursive: true, force: true });
  run('npm', [
    'run',
    'build:renderer',
    '-w',
    'desktop',
    '--',
    '--outDir',
    join(APP_STAGE, 'renderer'),
    '--emptyOutDir',
  ]);
  const { buildElectron } = await import('./build-electron.mjs');
  await buildElectron({ outDir: APP_STAGE });

  for (const { platform, arch } of pairs) {
    const staged = stageFfmpeg(platform, arch);
    console.log(`dist: FFmpeg for ${platform}-${arch} from ${staged.from} → ${staged.dest}`);
  }

  console.log(`dist: text fonts ${stageFonts().join(', ')} → ${FONTS_STAGE}`);

  const overrides = configOverrides();
  if (!overrides.npmRebuild) {
    console.warn(
      'dist: VMP_ELECTRON_DIST is set (offline mode): native modules are NOT rebuilt for Electron; ' +
        'better-sqlite3 keeps the build for this Node.js, so the package is for inspection, not for users.',
    );
  }
  const config =
    typeof options.config === 'string'
      ? { extends: options.config, ...overrides }
      : { ...(options.config ?? {}), ...overrides };
  const { build } = require('electron-builder');
  const artifacts = await build({ publish: 'never', ...options, config });
  if (overrides.npmRebuild) {
    // electron-builder rebuilt better-sqlite3 in place for Electron; put back the build for this Node.js (tests, vmp).
    run('npm', ['rebuild', 'better-sqlite3']);
  }
  console.log(`dist: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const artifact of artifacts) console.log(`  ${artifact}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((error) => {
    console.error(`dist: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
