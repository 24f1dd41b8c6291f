import { readFile } from 'node:fs/promises';
import { ValidationError } from '@vmp/shared/errors';
import { z } from 'zod';
import type { CodeRecord } from '../engine/codes/assign.ts';
import { parseCode } from '../engine/codes/prefix.ts';
import type { AdRef } from './compute.ts';

/** The part of a manifest.json that results and the next batch read (engine/render/manifest.ts writes it). */
const ManifestFile = z.object({
  project: z.string(),
  outputs: z.array(
    z.object({
      index: z.number(),
      file: z.string(),
      sources: z.array(z.string()),
      headlines: z.array(z.string().nullable()).optional(),
      components: z.record(z.string(), z.string()).optional(),
      adId: z.string().optional(),
      adName: z.string().optional(),
    }),
  ),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

/** Reads a manifest.json; a file that is not one is a ValidationError naming it (exit 2). */
export async function readManifestFile(path: string): Promise<ManifestFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ValidationError(`Cannot read the manifest "${path}": ${(error as Error).message}`, { file: path });
  }
  let parsed: ReturnType<typeof ManifestFile.safeParse>;
  try {
    parsed = ManifestFile.safeParse(JSON.parse(text));
  } catch {
    parsed = { success: false } as typeof parsed;
  }
  if (!parsed.success) {
    throw new ValidationError(
      `"${path}" is not a manifest.json written by vmp mix (give the manifest.json of a batch).`,
      {
        file: path,
      },
    );
  }
  return parsed.data;
}

/** The ads of a manifest (one per adName: a combination's placements share it). */
export function adsOfManifest(manifest: ManifestFile, path: string): AdRef[] {
  const ads = new Map<string, AdRef>();
  for (const o of manifest.outputs) {
    if (o.adName && o.adId && o.components)
      ads.set(o.adName, { adName: o.adName, adId: o.adId, components: o.components });
  }
  if (ads.size === 0 && manifest.outputs.length > 0) {
    throw new ValidationError(
      `"${path}" has no component codes (adName): it was written before codes existed. Render the batch again to name its ads.`,
      { file: path },
    );
  }
  return [...ads.values()];
}

/**
 * The codes a manifest gave each source file and headline, so a later run of the same folder keeps them: the
 * components (minus `headline`) are in the same order as `sources`.
 */
export function codeRecordsOf(manifest: ManifestFile): CodeRecord[] {
  const records = new Map<string, CodeRecord>();
  for (const o of manifest.outputs) {
    if (!o.components) continue;
    const clipCodes = Object.entries(o.components).filter(([k]) => k !== 'headline');
    clipCodes.forEach(([, code], i) => {
      const source = o.sources[i];
      const prefix = parseCode(code)?.prefix;
      if (source && prefix) records.set(`${prefix}\u0000${source}`, { prefix, key: source, code });
    });
    const headline = o.components.headline;
    const text = o.headlines?.find((h) => h);
    if (headline && text) records.set(`T\u0000${text}`, { prefix: 'T', key: text, code: headline });
  }
  return [...records.values()];
}
