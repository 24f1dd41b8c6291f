import { extname } from 'node:path';

/**
 * Where a farm without a shared folder keeps things, under the --storage prefix: clips and music by content hash
 * (uploaded once per farm, whoever submits), the normalise cache by the local cache's own file name (content hash +
 * profile + text, engine/render/cache.ts), and each run's outputs under the run.
 */
export const clipKey = (hash: string): string => `clips/${hash}`;
export const cacheKey = (intermediate: string): string => `cache/${intermediate}`;
export const runOutputsPrefix = (runId: string): string => `runs/${runId}/outputs/`;
export const outputKey = (runId: string, fileName: string): string => `${runOutputsPrefix(runId)}${fileName}`;

/** The file a worker keeps a downloaded clip in: its hash, and the submitter's extension (FFmpeg probes by it too). */
export function localClipName(hash: string, submittedPath: string): string {
  const ext = extname(submittedPath.replace(/\\/g, '/')).toLowerCase();
  return /^\.[a-z0-9]{1,8}$/.test(ext) ? `${hash}${ext}` : hash;
}
