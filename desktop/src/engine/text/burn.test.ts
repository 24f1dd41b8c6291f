import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mix } from '../mix.ts';
import { planCombinations } from '../plan/planner.ts';
import { makeSource } from '../render/testing.ts';
import type { RenderSource } from '../render/types.ts';
import { brightPixels, ocrAt } from './ocr.testing.ts';

// Real outputs read back with tesseract. Clips are solid dark colours so only the white text is bright.
describe('burned-in text (real FFmpeg + OCR)', () => {
  let dir: string;
  const src: Record<string, RenderSource> = {};
  const HEADLINES = ['STOP SCROLLING', 'WAIT FOR IT'];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-text-'));
    const specs = {
      hook1: { color: '0x203050', duration: 1.2 },
      hook2: { color: '0x402020', duration: 1.2 },
      body1: { color: '0x204020', duration: 0.6 },
      body2: { color: '0x303030', duration: 0.6 },
      cta1: { color: '0x402040', duration: 0.6 },
      cta2: { color: '0x204040', duration: 0.6 },
    };
    for (const [id, spec] of Object.entries(specs)) {
      src[id] = await makeSource(join(dir, 'src'), id, { width: 320, height: 240, ...spec });
    }
    src.hook1!.captions = [
      { start: 0.1, end: 0.6, text: 'APPLE BANANA' },
      { start: 0.7, end: 1.0, text: 'CHERRY MANGO' },
    ];
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const clip = (s: RenderSource) => ({ id: s.id, duration: s.info.duration });
  const plan = () =>
    planCombinations({
      mode: 'manual',
      groups: [
        {
          name: 'hook',
          clips: [clip(src.hook1!), clip(src.hook2!)],
          headlines: HEADLINES.map((text, i) => ({ id: `h${i}`, text })),
        },
        { name: 'body', clips: [clip(src.body1!), clip(src.body2!)] },
        { name: 'cta', clips: [clip(src.cta1!), clip(src.cta2!)] },
      ],
    });

  it('fast: 16 outputs from 2 hooks × 2 headlines × 2 × 2 need 8 video encodes; captions during their cues only, one headline each, watermark', async () => {
    const { combinations } = plan();
    expect(combinations).toHaveLength(16);
    const commands: string[] = [];
    const settings = RenderSettings.parse({
      format: '9:16',
      watermark: 'VIDEO MIXER PRO UNLICENSED',
      nameTemplate: '{index}-{text}',
    });
    const run = () =>
      mix({
        projectName: 'Text',
        sources: Object.values(src),
        combinations,
        settings,
        outDir: join(dir, 'fast'),
        cacheDir: join(dir, 'cache'),
        concurrency: 2,
        onCommand: (c) => commands.push(c),
      });
    const { outputs, failed, manifest } = await run();
    expect(failed).toEqual([]);
    expect(outputs).toHaveLength(16);
    const encodes = commands.filter((c) => c.includes('libx264'));
    expect(encodes).toHaveLength(8);
    expect(encodes.filter((c) => c.includes('subtitles=')).length).toBe(4 + 2 + 2); // watermark on every clip
    expect(encodes.every((c) => c.startsWith('FONTCONFIG_FILE='))).toBe(true);
    // Assembly stays a stream copy.
    expect(commands.filter((c) => c.includes('-c:v copy'))).not.toHaveLength(0);

    const json = JSON.parse(await readFile(manifest.json, 'utf8')) as {
      outputs: { index: number; file: string; headlines: (string | null)[]; clipIds: string[] }[];
    };
    for (const [k, out] of json.outputs.entries()) {
      const file = join(dir, 'fast', out.file);
      const headline = out.headlines[0]!;
      expect(out.file).toContain(headline);
      const during = await ocrAt(file, 0.35);
      expect(
        HEADLINES.filter((h) => during.includes(h)),
        during,
      ).toEqual([headline]);
      expect(during).toContain('UNLICENSED');
      expect(during.includes('APPLE BANANA'), during).toBe(out.clipIds[0] === 'hook1');
      if (k >= 4) continue; // OCR is slow on a shared box: the body check on a few outputs is enough.
      // Over the body clip the hook's headline is gone (the watermark stays).
      const body = await ocrAt(file, 1.5);
      expect(
        HEADLINES.some((h) => body.includes(h)),
        body,
      ).toBe(false);
      expect(body).toContain('UNLICENSED');
    }
    const withCaptions = json.outputs.find((o) => o.clipIds[0] === 'hook1')!;
    const file = join(dir, 'fast', withCaptions.file);
    const second = await ocrAt(file, 0.85);
    expect(second).toContain('CHERRY MANGO');
    expect(second).not.toContain('APPLE');
    const after = await ocrAt(file, 1.1);
    expect(after).not.toContain('CHERRY');
    expect(after).not.toContain('APPLE');

    // Same text and style: everything comes from the cache, no encode at all.
    commands.length = 0;
    await run();
    expect(commands.filter((c) => c.includes('libx264'))).toHaveLength(0);
  }, 600_000);

  it('unique: text drawn in its one encode per output, intermediates stay plain', async () => {
    const combinations = plan().combinations.slice(0, 2);
    const commands: string[] = [];
    const { outputs, failed } = await mix({
      projectName: 'Unique',
      sources: Object.values(src),
      combinations,
      settings: RenderSettings.parse({ strategy: 'unique', watermark: 'VIDEO MIXER PRO UNLICENSED' }),
      outDir: join(dir, 'unique'),
      cacheDir: join(dir, 'cache-unique'),
      concurrency: 2,
      onCommand: (c) => commands.push(c),
    });
    expect(failed).toEqual([]);
    const encodes = commands.filter((c) => c.includes('libx264'));
    const normalises = encodes.filter((c) => c.includes('-f mov'));
    expect(normalises.some((c) => c.includes('subtitles='))).toBe(false);
    expect(encodes.filter((c) => c.includes('-f concat') && c.includes('subtitles='))).toHaveLength(2);
    for (const [k, out] of outputs.entries()) {
      const text = await ocrAt(out.path, 0.35);
      expect(
        HEADLINES.filter((h) => text.includes(h)),
        text,
      ).toEqual([combinations[k]!.headlines![0]]);
      expect(text).toContain('UNLICENSED');
    }
  }, 600_000);

  it('Arabic and Chinese come from the bundled fonts; a script they lack is never filled from a system font', async () => {
    const one = (id: string, text: string) => ({ ...src.body1!, id, captions: [{ start: 0, end: 0.6, text }] });
    // Hebrew is in no bundled font (the system's DejaVu Sans has it); private-use characters are in no font at all.
    const sources = [
      one('ar', 'مرحبا بالعالم'),
      one('zh', '你好世界'),
      one('he', 'שלום עולם'),
      one('pua', '\ue000\ue001\ue002\ue003 \ue004\ue005\ue006\ue007'),
      one('none', 'x'),
    ];
    sources[4]!.captions = [];
    const { outputs, failed } = await mix({
      projectName: 'Scripts',
      sources,
      combinations: sources.map((s, index) => ({ index, clipIds: [s.id] })),
      settings: RenderSettings.parse({ format: '1:1', captionStyle: { position: 'middle', size: 8 } }),
      outDir: join(dir, 'scripts'),
      cacheDir: join(dir, 'cache'),
      concurrency: 2,
    });
    expect(failed).toEqual([]);
    const bright = await Promise.all(outputs.map((o) => brightPixels(o.path, 0.3, 0.3, 0.7)));
    const [ar, zh, he, pua, none] = bright as [number, number, number, number, number];
    expect(none).toBe(0);
    expect(ar).toBeGreaterThan(2000);
    expect(zh).toBeGreaterThan(2000);
    // Fontconfig sees only the bundled fonts: Hebrew gets the same missing-glyph boxes as characters no font has,
    // not DejaVu's letters.
    expect(he).toBe(pua);
  });
});
