#!/usr/bin/env node
// Bundles the Electron shell and the CLI with esbuild:
//   desktop/dist/main/main.mjs        Electron main (ESM), + ffmpeg-worker.mjs beside it
//   desktop/dist/preload/preload.cjs  sandboxed preload (CommonJS: sandboxed preloads cannot be ESM)
//   desktop/dist/cli/main.mjs         the vmp CLI (bin/vmp.mjs runs it when packaged), + ffmpeg-worker.mjs beside it
// Native and optional modules stay external (better-sqlite3 is loaded from node_modules; Electron from the runtime).
// The renderer is built separately by Vite (npm run build:renderer -w desktop).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const desktop = join(root, 'desktop');
const dist = join(desktop, 'dist');

// ESM bundles still meet CommonJS dependencies that call require(): give them one.
const esmBanner = {
  js: "import { createRequire as __vmpCreateRequire } from 'node:module'; const require = __vmpCreateRequire(import.meta.url);",
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  external: [
    'electron',
    'better-sqlite3',
    'bufferutil',
    'utf-8-validate',
    'ffmpeg-static',
    'ffprobe-static',
    'tsx',
    'tsx/*',
    // Tinypool starts its workers from its own files (entry/worker.js beside its index): it must stay a package.
    'tinypool',
  ],
  banner: esmBanner,
};

const worker = join(desktop, 'src', 'core', 'cpu-worker.ts'); // the pool worker with the app's CPU tasks

export async function buildElectron({ outDir = dist } = {}) {
  mkdirSync(outDir, { recursive: true });
  await Promise.all([
    build({
      ...node,
      entryPoints: [join(desktop, 'src', 'main', 'main.ts')],
      outfile: join(outDir, 'main', 'main.mjs'),
    }),
    build({ ...node, entryPoints: [worker], outfile: join(outDir, 'main', 'ffmpeg-worker.mjs') }),
    build({ ...node, entryPoints: [join(desktop, 'src', 'cli', 'main.ts')], outfile: join(outDir, 'cli', 'main.mjs') }),
    build({ ...node, entryPoints: [worker], outfile: join(outDir, 'cli', 'ffmpeg-worker.mjs') }),
    build({
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      logLevel: 'warning',
      external: ['electron'],
      entryPoints: [join(desktop, 'src', 'preload', 'preload.ts')],
      outfile: join(outDir, 'preload', 'preload.cjs'),
    }),
  ]);
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ? join(process.cwd(), process.argv[2]) : dist;
  await buildElectron({ outDir });
  console.log(`Built Electron main, preload, CLI and FFmpeg worker into ${outDir}`);
}
