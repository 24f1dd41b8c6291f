import type { ApiClient } from '@vmp/shared/api';
import { clientFromBridge, type PreloadBridge } from '../../preload/bridge.ts';
import { createBrowserClient, socketUrlForLocation } from './browser-client.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); wrapped by clientFromBridge for typed errors. */
    vmpBridge?: PreloadBridge;
  }
}

let current: ApiClient | null = null;

/** Electron's preload bridge when present, otherwise the host's WebSocket on this page's origin. */
export function createClient(win: Window = window): ApiClient {
  if (win.vmpBridge) return clientFromBridge(win.vmpBridge);
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
