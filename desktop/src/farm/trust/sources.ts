import { stat } from 'node:fs/promises';
import { contentKey } from '../../engine/hash/content-key.ts';
import { probeFile } from '../../engine/probe/probe.ts';
import type { RenderSource } from '../../engine/render/types.ts';
import { FarmJobRefusedError } from './errors.ts';

/**
 * A worker's own view of a job's clips. The shared cache is keyed by content hash, so a job naming clip A's hash
 * with another file would fill (or use) A's entries with the wrong picture: the worker hashes each file itself
 * (engine/hash, as the app did on import) and refuses a mismatch; and it probes the file itself, so a job's made-up
 * stream facts (colour tags, sizes) never shape what lands in the cache. Both are remembered per file state.
 */
export interface SourceVerifier {
  verify(sources: readonly RenderSource[], signal?: AbortSignal): Promise<RenderSource[]>;
}

export function createSourceVerifier(): SourceVerifier {
  const known = new Map<string, { state: string; hash: string; info: RenderSource['info'] }>();
  const MAX_KNOWN = 10_000;

  async function look(path: string, signal?: AbortSignal) {
    const s = await stat(path);
    const state = `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
    const cached = known.get(path);
    if (cached?.state === state) return cached;
    const [hash, info] = await Promise.all([contentKey(path), probeFile(path, signal ? { signal } : {})]);
    const entry = { state, hash, info };
    if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value!);
    known.set(path, entry);
    return entry;
  }

  return {
    async verify(sources, signal) {
      const checked: RenderSource[] = [];
      for (const source of sources) {
        const seen = await look(source.path, signal);
        if (seen.hash !== source.hash) {
          throw new FarmJobRefusedError(
            'FARM_SOURCE_MISMATCH',
            `Refused this job: clip "${source.path}" is not the clip the job names (content hash ${source.hash.slice(0, 12)}…, the file's is ${seen.hash.slice(0, 12)}…). The file changed since it was imported, or the job is forged: check the clip in the app and submit again.`,
            { path: source.path },
          );
        }
        checked.push({ ...source, info: seen.info });
      }
      return checked;
    },
  };
}
