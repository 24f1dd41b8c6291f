import {
  type ApiClient,
  ApiEvent,
  apiMethods,
  HOST_PATHS,
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
  isMethodName,
  type MediaKind,
  ResultMessage,
} from '@vmp/shared/api';
import { contextBridge, ipcRenderer, webUtils } from 'electron';

// Sandboxed preload (bundled to CommonJS): exposes exactly the ApiClient shape, nothing of Node or Electron.

let nextId = 1;

/** Calls main; resolves with the ResultMessage envelope (never a raw Electron object). */
async function invoke(method: string, input: unknown): Promise<ResultMessage> {
  const id = nextId++;
  const raw: unknown = await ipcRenderer.invoke(IPC_CALL_CHANNEL, { type: 'call', id, method, input });
  const parsed = ResultMessage.safeParse(raw);
  if (!parsed.success) {
    return {
      type: 'result',
      id,
      ok: false,
      error: { code: 'BAD_RESPONSE', message: `Malformed answer to ${method}.` },
    };
  }
  return parsed.data;
}

const MEDIA_PATHS: Record<MediaKind, (id: string) => string> = {
  thumbnail: HOST_PATHS.thumbnail,
  output: HOST_PATHS.output,
  outputThumbnail: HOST_PATHS.outputThumbnail,
};

const client: ApiClient & { invoke: typeof invoke } = {
  call: (async (method: string, input: unknown) => {
    if (!isMethodName(method)) throw new Error(`Unknown method ${method}.`);
    const result = await invoke(method, input);
    if (result.ok) return apiMethods[method].output.parse(result.output);
    // Only an Error's message crosses the context bridge; `invoke` gives the renderer the full envelope with code.
    throw new Error(result.error.message);
  }) as ApiClient['call'],
  invoke,
  subscribe(listener: (event: ApiEvent) => void) {
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

contextBridge.exposeInMainWorld('vmp', client);
