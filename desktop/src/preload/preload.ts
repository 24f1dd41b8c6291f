import {
  ApiEvent,
  HOST_PATHS,
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
  type MediaKind,
  ResultMessage,
} from '@vmp/shared/api';
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { PreloadBridge } from './bridge.ts';

// Sandboxed preload (bundled to CommonJS): exposes plain-data functions only, nothing of Node or Electron. The
// renderer wraps them with clientFromBridge (bridge.ts), which throws the same ApiError as the WebSocket client.

let nextId = 1;

const MEDIA_PATHS: Record<MediaKind, (id: string) => string> = {
  thumbnail: HOST_PATHS.thumbnail,
  output: HOST_PATHS.output,
  outputThumbnail: HOST_PATHS.outputThumbnail,
};

const bridge: PreloadBridge = {
  async invoke(method, input) {
    const id = nextId++;
    try {
      const raw: unknown = await ipcRenderer.invoke(IPC_CALL_CHANNEL, { type: 'call', id, method, input });
      const parsed = ResultMessage.safeParse(raw);
      if (parsed.success) return parsed.data;
      return {
        type: 'result',
        id,
        ok: false,
        error: { code: 'PROTOCOL_ERROR', message: `Malformed answer to ${method}.` },
      };
    } catch (error) {
      // ipcRenderer.invoke rejects only when main has no handler or the input cannot be cloned.
      const message = error instanceof Error ? error.message : String(error);
      return {
        type: 'result',
        id,
        ok: false,
        error: { code: 'IPC_ERROR', message: `${method} could not be sent: ${message}` },
      };
    }
  },
  subscribe(listener) {
    const handler = (_event: unknown, payload: unknown) => {
      const event = ApiEvent.safeParse(payload);
      if (event.success) listener(event.data);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  mediaUrl: (kind, id) => `vmp://app${MEDIA_PATHS[kind](id)}`,
  pathForFile: (file) => {
    try {
      return webUtils.getPathForFile(file) || null;
    } catch {
      return null;
    }
  },
};

contextBridge.exposeInMainWorld('vmpBridge', bridge);
