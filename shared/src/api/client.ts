import type { ImportResult } from './entities.ts';
import type { ApiEvent } from './events.ts';
import type { ApiCall } from './methods.ts';

export type MediaKind = 'thumbnail' | 'output' | 'outputThumbnail';

/**
 * What the renderer sees, whatever carries it (Electron preload or the browser host's WebSocket).
 * The renderer never knows which one it runs on beyond `app.info`'s capabilities.
 */
export interface ApiClient {
  call: ApiCall;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** URL the renderer can put in <img>/<video> for a clip thumbnail or a rendered output. */
  mediaUrl(kind: MediaKind, id: string): string;
  /** Browser only: stream files to the host into the project's media folder, then import them. */
  upload?(
    projectId: string,
    files: File[],
    options?: { groupId?: string; onProgress?: (sentBytes: number, totalBytes: number) => void },
  ): Promise<ImportResult>;
  /** Electron only: local path of a dropped File (webUtils.getPathForFile). */
  pathForFile?(file: File): string | null;
  /** Connection state for the browser transport; Electron is always connected. */
  onConnectionChange?(listener: (connected: boolean) => void): () => void;
}
