import type { Core } from './core.ts';

/** Media routes shared by the browser host and Electron's app protocol: `/media/<kind>/<id>` (see HOST_PATHS). */
export type MediaRouteKind = 'thumbnail' | 'output' | 'output-thumbnail';

const MEDIA_PATH = /^\/media\/(thumbnail|output|output-thumbnail)\/([^/]+)$/;

/** The kind and id of a media path; null for any other path. A malformed id decodes to '' (found nowhere: 404). */
export function parseMediaPath(pathname: string): { kind: MediaRouteKind; id: string } | null {
  const match = MEDIA_PATH.exec(pathname);
  if (!match) return null;
  let id = '';
  try {
    id = decodeURIComponent(match[2]!);
  } catch {
    // Leave the id empty: the caller answers not found rather than serving something else.
  }
  return { kind: match[1] as MediaRouteKind, id };
}

/** The file behind a media route, or null when there is none (yet): unknown id, unfinished output. */
export async function mediaFile(
  core: Pick<Core, 'thumbnailFile' | 'outputFile' | 'outputThumbnailFile'>,
  kind: MediaRouteKind,
  id: string,
): Promise<string | null> {
  if (!id) return null;
  if (kind === 'thumbnail') return core.thumbnailFile(id);
  if (kind === 'output') return core.outputFile(id);
  return core.outputThumbnailFile(id);
}
