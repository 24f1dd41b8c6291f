import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig } from '../../scripts/dist.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
// electron-builder's own converter, the one a release build runs for each platform's icon format.
const { convertIcon } = require('app-builder-lib/out/util/iconConverter') as {
  convertIcon(options: {
    sources: string[];
    fallbackSources: string[];
    roots: string[];
    format: 'icns' | 'ico' | 'set';
    outDir: string;
  }): Promise<{ icons: { file: string; size: number }[]; isFallback: boolean }>;
};
const out = mkdtempSync(join(tmpdir(), 'vmp-icon-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the app icon', () => {
  type Platform = { icon?: string };
  const config = loadBuilderConfig() as { directories: { buildResources: string } } & Record<string, Platform>;

  it('is a 1024 px square PNG for Linux, from which the .icns and .ico are packed', () => {
    const png = readFileSync(join(repo, config.linux?.icon ?? 'missing'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });

  // electron-builder's converter, as a release build calls it: the configured file is used as it is (no icon toolset
  // downloaded), and no platform falls back to Electron's default icon.
  it.each([
    ['mac', 'icns', 1],
    ['win', 'ico', 256],
    ['linux', 'set', 1024],
  ] as const)('%s: build/icon.%s is used as it is', async (platform, format, size) => {
    const icon = config[platform]?.icon;
    expect(icon, `${platform}.icon in electron-builder.yml`).toBeTruthy();
    const { icons, isFallback } = await convertIcon({
      sources: [icon ?? ''],
      fallbackSources: [],
      roots: [join(repo, config.directories.buildResources), repo],
      format,
      outDir: join(out, format),
    });
    expect(isFallback).toBe(false);
    expect(icons).toEqual([{ file: join(repo, icon ?? ''), size: format === 'icns' ? 0 : size }]);
  });

  it('the .icns holds the 1024 px PNG and the .ico the 256 px one', () => {
    const icns = readFileSync(join(repo, config.mac?.icon ?? 'missing'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.toString('latin1', at, at + 4));
    expect(types).toContain('ic10');
    const ico = readFileSync(join(repo, config.win?.icon ?? 'missing'));
    expect([ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([1, 7]);
  });
});
