import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledFontFiles } from './fonts.ts';

const resources = mkdtempSync(join(tmpdir(), 'vmp-fonts-'));
afterAll(() => rmSync(resources, { recursive: true, force: true }));

describe('bundledFontFiles', () => {
  it("takes a packaged app's resources/fonts (VMP_RESOURCES_DIR), as the FFmpeg lookup takes its binaries", () => {
    const fromPackages = bundledFontFiles({});
    mkdirSync(join(resources, 'fonts'));
    for (const file of fromPackages) copyFileSync(file, join(resources, 'fonts', basename(file)));
    expect(bundledFontFiles({ VMP_RESOURCES_DIR: resources })).toEqual(
      fromPackages.map((f) => join(resources, 'fonts', basename(f))),
    );
    // VMP_FONTS_DIR still wins.
    expect(bundledFontFiles({ VMP_RESOURCES_DIR: '/nonexistent', VMP_FONTS_DIR: join(resources, 'fonts') })).toEqual(
      fromPackages.map((f) => join(resources, 'fonts', basename(f))),
    );
  });
});
