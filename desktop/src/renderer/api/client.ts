import type { ApiClient } from '@vmp/shared/api';
import { createBrowserClient, socketUrlForLocation } from './browser-client.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge). */
    vmp?: ApiClient;
  }
}

let current: ApiClient | null = null;

/** Electron's preload client when present, otherwise the host's WebSocket on this page's origin. */
export function createClient(win: Window = window): ApiClient {
  if (win.vmp) return win.vmp;
  return createBrowserClient(socketUrlForLocation(win.location), { httpBase: win.location.origin });
}

export function setApi(client: ApiClient): void {
  current = client;
}

/** The one client the stores talk to. */
export function api(): ApiClient {
  if (!current) throw new Error('API client not initialised');
  return current;
}
