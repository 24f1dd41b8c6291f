import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { AppError } from '@vmp/shared/errors';
import { bundledBinDir } from '../ffmpeg/locate.ts';

/**
 * The fonts text is drawn with, from npm packages (SIL Open Font License; see THIRD_PARTY_NOTICES.md), bold only:
 * Noto Sans (Latin, Greek, Cyrillic), Noto Sans Arabic, Noto Sans Hans (Simplified Chinese, GB 2312), Noto Emoji
 * (monochrome outlines: libass fills them in the text colour, as it does letters).
 */
export const BUNDLED_FONTS = [
  { pkg: '@expo-google-fonts/noto-sans', file: '700Bold/NotoSans_700Bold.ttf' },
  { pkg: '@expo-google-fonts/noto-sans-arabic', file: '700Bold/NotoSansArabic_700Bold.ttf' },
  { pkg: '@embedpdf/fonts-sc', file: 'fonts/NotoSansHans-Bold.otf' },
  { pkg: '@expo-google-fonts/noto-emoji', file: '700Bold/NotoEmoji_700Bold.ttf' },
] as const;

export class FontsMissingError extends AppError {
  constructor(missing: string) {
    super(
      'FONTS_MISSING',
      `The text font ${missing} is missing from this installation: reinstall Video Mixer Pro (or set VMP_FONTS_DIR to a folder holding ${BUNDLED_FONTS.map((f) => basename(f.file)).join(', ')}).`,
      { status: 500 },
    );
  }
}

/**
 * Absolute paths of the bundled font files. VMP_FONTS_DIR wins; a packaged app has them in resources/fonts
 * (scripts/dist.mjs stages them; found like its FFmpeg, through bundledBinDir); otherwise the npm packages.
 */
export function bundledFontFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const require = createRequire(import.meta.url);
  const resources = bundledBinDir(env);
  return BUNDLED_FONTS.map(({ pkg, file }) => {
    if (env.VMP_FONTS_DIR) {
      const path = join(env.VMP_FONTS_DIR, basename(file));
      if (!existsSync(path)) throw new FontsMissingError(path);
      return path;
    }
    const packaged = resources ? join(resources, 'fonts', basename(file)) : undefined;
    if (packaged && existsSync(packaged)) return packaged;
    // Not require.resolve(pkg): some font packages export no entry point (or not their package.json).
    for (const dir of require.resolve.paths(pkg) ?? []) {
      const path = join(dir, pkg, file);
      if (existsSync(path)) return path;
    }
    throw new FontsMissingError(`${pkg}/${file}`);
  });
}

export interface TextFonts {
  /** Folder holding only the bundled fonts (libass `fontsdir`). */
  dir: string;
  /**
   * Environment for FFmpeg: a fontconfig configuration that knows only `dir`, so a glyph missing from the bundled
   * fonts can never be filled from a system font (outputs must look the same on every machine).
   */
  env: Record<string, string>;
}

export function fontconfigXml(fontsDir: string, cacheDir: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by Video Mixer Pro: only the bundled fonts, no system folders, no user configuration. -->
<fontconfig>
  <dir>${esc(fontsDir)}</dir>
  <cachedir>${esc(cacheDir)}</cachedir>
</fontconfig>
`;
}

const prepared = new Map<string, Promise<TextFonts>>();

/** Copies the bundled fonts into `<root>/fonts` (once) and writes the fontconfig file beside them. */
export function prepareFonts(root: string): Promise<TextFonts> {
  let entry = prepared.get(root);
  if (!entry) {
    entry = (async () => {
      const dir = join(root, 'fonts');
      await mkdir(dir, { recursive: true });
      for (const source of bundledFontFiles()) {
        const target = join(dir, basename(source));
        const [from, to] = await Promise.all([stat(source), stat(target).catch(() => undefined)]);
        if (to?.size === from.size) continue;
        const temp = `${target}.${process.pid}.tmp`;
        await copyFile(source, temp);
        await rename(temp, target);
      }
      const conf = join(root, 'fonts.conf');
      const xml = fontconfigXml(dir, join(root, 'fontconfig-cache'));
      await writeFile(`${conf}.${process.pid}.tmp`, xml);
      await rename(`${conf}.${process.pid}.tmp`, conf);
      return { dir, env: { FONTCONFIG_FILE: conf } };
    })();
    entry.catch(() => prepared.delete(root));
    prepared.set(root, entry);
  }
  return entry;
}
