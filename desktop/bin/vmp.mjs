#!/usr/bin/env node
// `vmp` entry. In the repository (src/ beside bin/) the TypeScript source runs through tsx, so a dist/ bundle left
// from an earlier build can never run stale code; packaged (no src/) the bundle runs. `vmp --version` says which.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli/main.mjs', import.meta.url).href);
}
