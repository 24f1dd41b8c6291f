import { rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RenderSettings } from '@vmp/shared';
import { strategyOf } from './strategy/index.ts';
import type { OutputResult } from './types.ts';

export interface ManifestInput {
  projectName: string;
  createdAt: Date;
  settings: RenderSettings;
  outputs: readonly OutputResult[];
  /** An Error, or its code and message as plain data (what crosses into the worker pool). */
  failed: readonly { index: number; error: { message: string; code?: string } }[];
}

const CSV_HEADER = [
  'index',
  'file',
  'clip_ids',
  'sources',
  'seed',
  'duration_s',
  'format',
  'fit',
  'strategy',
  'fps',
  'audio',
  'headline',
];

/** One CSV field: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function manifestCsv(input: ManifestInput): string {
  const { settings } = input;
  const rows = input.outputs.map((o) =>
    [
      o.index + 1,
      basename(o.path),
      o.clipIds.join(' | '),
      o.sources.join(' | '),
      o.seed,
      o.duration.toFixed(3),
      settings.format,
      settings.fit,
      settings.strategy,
      settings.fps,
      settings.audio.mode,
      (o.headlines ?? []).filter((h) => h).join(' | '),
    ]
      .map(csvField)
      .join(','),
  );
  return `${[CSV_HEADER.join(','), ...rows].join('\r\n')}\r\n`;
}

export function manifestJson(input: ManifestInput): string {
  return `${JSON.stringify(
    {
      project: input.projectName,
      createdAt: input.createdAt.toISOString(),
      settings: input.settings,
      outputs: input.outputs.map((o) => ({
        index: o.index,
        file: basename(o.path),
        clipIds: o.clipIds,
        sources: o.sources,
        seed: o.seed,
        duration: Number(o.duration.toFixed(3)),
        ...(o.headlines ? { headlines: o.headlines } : {}),
        ...strategyOf(input.settings).manifestFields(o.seed, input.settings),
      })),
      failed: input.failed.map((f) => ({
        index: f.index,
        code: f.error.code ?? 'INTERNAL_ERROR',
        message: f.error.message,
      })),
    },
    null,
    2,
  )}\n`;
}

/** Writes manifest.csv and manifest.json beside the outputs (temp + rename, like every other output). */
export async function writeManifest(outDir: string, input: ManifestInput): Promise<{ csv: string; json: string }> {
  const csv = join(outDir, 'manifest.csv');
  const json = join(outDir, 'manifest.json');
  await writeFile(`${csv}.part`, manifestCsv(input));
  await rename(`${csv}.part`, csv);
  await writeFile(`${json}.part`, manifestJson(input));
  await rename(`${json}.part`, json);
  return { csv, json };
}
