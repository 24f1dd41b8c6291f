import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { assignCodes, type CodeBook, type CodeRecord } from '../engine/codes/index.ts';
import type { PlanHeadline } from '../engine/plan/planner.ts';
import { codeRecordsOf, readManifestFile } from '../results/manifest-file.ts';
import type { ScannedFolder } from './scan.ts';

/**
 * Component codes for a `vmp mix` folder: the codes earlier batches gave (manifest.json in --out, and the one
 * given with --manifest) are kept; new clips (by path) and headlines get the next free numbers. Clips are numbered
 * in folder order.
 */
export async function folderCodeBook(
  scanned: ScannedFolder,
  headlines: ReadonlyMap<string, readonly PlanHeadline[]>,
  manifests: readonly string[],
): Promise<CodeBook> {
  const existing: CodeRecord[] = [];
  for (const path of manifests) {
    const found = await access(path).then(
      () => true,
      () => false,
    );
    if (!found) continue;
    try {
      existing.push(...codeRecordsOf(await readManifestFile(path)));
    } catch {
      // An unreadable manifest in --out gives no codes; the one given with --manifest is checked where it is read.
    }
  }
  if (scanned.mode === 'auto') return assignCodes('auto', [{ name: 'Clips', clips: scanned.files }], existing).book;
  return assignCodes(
    'manual',
    scanned.groups.map((g) => ({
      name: g.name,
      clips: g.files,
      headlines: (headlines.get(g.dir) ?? []).map((h) => h.text),
    })),
    existing,
  ).book;
}

export const outManifest = (out: string) => join(out, 'manifest.json');
