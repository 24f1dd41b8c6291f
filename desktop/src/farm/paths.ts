import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError } from '@vmp/shared/errors';

/** One `--path-map A=B`: paths the submitter names under `from` are read under `to` on this worker. */
export interface PathMapping {
  from: string;
  to: string;
}

/** A job names a path this worker must not or cannot use. Carries the path; retried, since another worker may fit. */
export class FarmPathError extends AppError {
  constructor(
    code: 'FARM_PATH_MISSING' | 'FARM_PATH_REFUSED',
    message: string,
    readonly path: string,
  ) {
    super(code, message, { status: 400, details: { path } });
  }
}

/** Strips trailing separators (but keeps a bare root) so prefixes compare cleanly. */
function trimSeparators(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed === '' ? path.slice(0, 1) : trimmed;
}

/** Parses "A=B" (the first "=" splits, so B may hold one). Both sides must be absolute. */
export function parsePathMapping(raw: string): PathMapping {
  const at = raw.indexOf('=');
  const from = at > 0 ? raw.slice(0, at) : '';
  const to = at > 0 ? raw.slice(at + 1) : '';
  if (!from || !to) throw new Error(`--path-map must look like /Volumes/Share=/mnt/share (got "${raw}").`);
  const absolute = (p: string) => isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
  if (!absolute(from) || !absolute(to)) {
    throw new Error(`--path-map "${raw}": both sides must be absolute paths.`);
  }
  return { from: trimSeparators(from), to: trimSeparators(to) };
}

/** Whether `path` is `prefix` or inside it, treating / and \ alike (submitters may run Windows). */
function underPrefix(path: string, prefix: string): boolean {
  const p = path.replace(/\\/g, '/');
  const q = prefix.replace(/\\/g, '/');
  return p === q || p.startsWith(q.endsWith('/') ? q : `${q}/`);
}

/**
 * A submitter path as this worker sees it: the longest matching `from` prefix replaced by its `to`, separators
 * turned into this OS's. Unmapped paths are returned resolved, unchanged otherwise.
 */
export function mapPath(path: string, mappings: readonly PathMapping[]): string {
  let best: PathMapping | undefined;
  for (const m of mappings) {
    if (underPrefix(path, m.from) && (!best || m.from.length > best.from.length)) best = m;
  }
  if (!best) return resolve(path);
  const rest = path.slice(best.from.length).replace(/[\\/]+/g, sep);
  return resolve(best.to + rest);
}

/** Pure check: `path` (resolved) lies inside one of `roots` (resolved). */
export function isUnderRoots(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

/** The real path of `path`, or of its deepest existing ancestor joined with the rest (for files not made yet). */
async function realPathOrAncestor(path: string): Promise<string> {
  let current = path;
  let rest = '';
  for (;;) {
    try {
      const real = await realpath(current);
      return rest ? resolve(real, rest) : real;
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      rest = rest ? `${current.slice(parent.length + 1)}${sep}${rest}` : current.slice(parent.length + 1);
      current = parent;
    }
  }
}

/**
 * Refuses a path outside the worker's shared roots, symbolic links followed (a link inside a root pointing out of
 * it counts as outside). `what` names the path's role in the message ("clip", "output folder").
 */
export async function assertUnderRoots(path: string, roots: readonly string[], what: string): Promise<void> {
  const realRoots = await Promise.all(roots.map((r) => realPathOrAncestor(resolve(r))));
  if (
    isUnderRoots(
      resolve(path),
      roots.map((r) => resolve(r)),
    ) &&
    isUnderRoots(await realPathOrAncestor(path), realRoots)
  ) {
    return;
  }
  throw new FarmPathError(
    'FARM_PATH_REFUSED',
    `Refused ${what} "${path}": it is outside this worker's shared roots (${roots.join(', ')}). Start the worker with --root or --path-map covering it.`,
    path,
  );
}
