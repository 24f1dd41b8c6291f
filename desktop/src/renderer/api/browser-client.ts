import {
  type ApiClient,
  type ApiEvent,
  apiMethods,
  type CallMessage,
  HOST_PATHS,
  ImportResult,
  isMethodName,
  type MediaKind,
  type MethodName,
  ServerMessage,
  WireError,
} from '@vmp/shared/api';
import { describeIssues } from '@vmp/shared/errors';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from '../lib/backoff.ts';
import { ApiError, ConnectionError } from './errors.ts';

/** The subset of the DOM WebSocket this client uses, so tests can pass the `ws` package's class. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface BrowserClientOptions {
  /** Origin for uploads and media, e.g. "http://127.0.0.1:4780". Default: derived from the socket URL. */
  httpBase?: string;
  createSocket?: SocketFactory;
  backoff?: BackoffOptions;
}

export interface BrowserClient extends ApiClient {
  readonly connected: boolean;
  /** Stop reconnecting and fail whatever is pending. */
  close(): void;
}

interface Pending {
  method: MethodName;
  message: string;
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const OPEN = 1;

/** ws://host:port/api/socket → http://host:port */
export function httpBaseFromSocketUrl(url: string): string {
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol === 'wss:' ? 'https:' : 'http:';
  return parsed.origin;
}

/** Socket URL for the page the renderer was served from. */
export function socketUrlForLocation(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${HOST_PATHS.socket}`;
}

export function mediaPath(kind: MediaKind, id: string): string {
  return HOST_PATHS[kind](id);
}

/** An error body from the host: `{ error: WireError }` or a bare WireError. */
function wireErrorFrom(body: unknown): ApiError | null {
  const candidate = body && typeof body === 'object' && 'error' in body ? (body as { error: unknown }).error : body;
  const parsed = WireError.safeParse(candidate);
  return parsed.success ? new ApiError(parsed.data.code, parsed.data.message, parsed.data.details) : null;
}

/**
 * ApiClient over the browser host's WebSocket. Calls made before the first connection wait for it;
 * once connected, a dropped socket fails the calls in flight (their results are lost) and reconnects with backoff.
 */
export function createBrowserClient(url: string, options: BrowserClientOptions = {}): BrowserClient {
  const httpBase = options.httpBase ?? httpBaseFromSocketUrl(url);
  const createSocket: SocketFactory = options.createSocket ?? ((u) => new WebSocket(u) as unknown as SocketLike);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: ApiEvent) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let socket: SocketLike | null = null;
  let connected = false;
  let everConnected = false;
  let closed = false;
  let attempt = 0;
  let nextId = 1;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const listener of connectionListeners) listener(value);
  };

  const failPending = (onlySent: boolean, makeError: (p: Pending) => Error) => {
    for (const [id, p] of pending) {
      if (onlySent && !p.sent) continue;
      pending.delete(id);
      p.reject(makeError(p));
    }
  };

  const flush = () => {
    for (const p of pending.values()) {
      if (p.sent || !socket || socket.readyState !== OPEN) continue;
      socket.send(p.message);
      p.sent = true;
    }
  };

  const handleMessage = (data: unknown) => {
    let raw: unknown;
    try {
      raw = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      console.warn('vmp: ignoring a message that is not JSON');
      return;
    }
    const parsed = ServerMessage.safeParse(raw);
    if (!parsed.success) {
      const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
      const p = typeof id === 'number' ? pending.get(id) : undefined;
      if (p && typeof id === 'number') {
        pending.delete(id);
        p.reject(new ApiError('PROTOCOL_ERROR', `The host sent a malformed answer to ${p.method}.`));
      } else {
        console.warn('vmp: ignoring a malformed message', describeIssues(parsed.error.issues));
      }
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') {
      for (const listener of [...listeners]) listener(message.event);
      return;
    }
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (!message.ok) {
      p.reject(new ApiError(message.error.code, message.error.message, message.error.details));
      return;
    }
    const output = apiMethods[p.method].output.safeParse(message.output);
    if (output.success) p.resolve(output.data);
    else {
      // Contract drift should be loud in the console but not break the screen.
      console.warn(`vmp: ${p.method} answered outside the contract:`, describeIssues(output.error.issues));
      p.resolve(message.output);
    }
  };

  const connect = () => {
    timer = null;
    if (closed) return;
    const ws = createSocket(url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      everConnected = true;
      setConnected(true);
      flush();
    };
    ws.onmessage = (event) => {
      if (socket === ws) handleMessage(event.data);
    };
    ws.onerror = () => {
      // A close event always follows; reconnecting happens there.
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      setConnected(false);
      failPending(
        true,
        (p) =>
          new ConnectionError(
            `Lost the connection to the Video Mixer Pro host during ${p.method}; reconnecting. Check the result before retrying.`,
          ),
      );
      if (closed) return;
      timer = setTimeout(connect, backoffDelay(attempt++, backoff));
    };
  };

  const call = ((method: MethodName, input: unknown) => {
    if (!isMethodName(method)) return Promise.reject(new ApiError('UNKNOWN_METHOD', `Unknown method ${method}`));
    const check = apiMethods[method].input.safeParse(input ?? {});
    if (!check.success) {
      return Promise.reject(new ApiError('VALIDATION_ERROR', describeIssues(check.error.issues), check.error.issues));
    }
    if (closed) return Promise.reject(new ConnectionError('The connection to the host was closed.'));
    if (everConnected && !connected) {
      return Promise.reject(
        new ConnectionError('Not connected to the Video Mixer Pro host; reconnecting. Try again in a moment.'),
      );
    }
    const id = nextId++;
    const envelope: CallMessage = { type: 'call', id, method, input: input ?? {} };
    return new Promise((resolve, reject) => {
      pending.set(id, { method, message: JSON.stringify(envelope), sent: false, resolve, reject });
      flush();
    });
  }) as ApiClient['call'];

  const upload: NonNullable<ApiClient['upload']> = async (projectId, files, uploadOptions = {}) => {
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const result: ImportResult = { clips: [], skipped: [] };
    let before = 0;
    for (const file of files) {
      const query = new URLSearchParams({ projectId, name: file.name });
      if (uploadOptions.groupId) query.set('groupId', uploadOptions.groupId);
      const target = `${httpBase}${HOST_PATHS.upload}?${query}`;
      const report = (loaded: number) => uploadOptions.onProgress?.(before + Math.min(loaded, file.size), total);
      const { status, body } = await send(target, file, report);
      before += file.size;
      report(0);
      const ok = status >= 200 && status < 300 ? ImportResult.safeParse(body) : null;
      if (ok?.success) {
        result.clips.push(...ok.data.clips);
        result.skipped.push(...ok.data.skipped);
      } else {
        const error = wireErrorFrom(body);
        const reason = error?.message ?? `upload failed (HTTP ${status})`;
        result.skipped.push({ path: file.name, reason });
      }
    }
    return result;
  };

  connect();

  return {
    call,
    upload,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mediaUrl: (kind, id) => `${httpBase}${mediaPath(kind, id)}`,
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      listener(connected);
      return () => connectionListeners.delete(listener);
    },
    get connected() {
      return connected;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const ws = socket;
      socket = null;
      ws?.close();
      setConnected(false);
      failPending(false, () => new ConnectionError('The connection to the host was closed.'));
    },
  };
}

/** POST a file; XMLHttpRequest where it exists (upload progress), fetch otherwise. */
async function send(
  target: string,
  file: File,
  onProgress: (loaded: number) => void,
): Promise<{ status: number; body: unknown }> {
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return { code: 'HTTP_ERROR', message: text.slice(0, 300) };
    }
  };
  if (typeof XMLHttpRequest === 'undefined') {
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        body: file,
        headers: { 'content-type': 'application/octet-stream' },
      });
    } catch {
      throw new ConnectionError(`Could not upload ${file.name}: the host is not reachable.`);
    }
    onProgress(file.size);
    return { status: response.status, body: parse(await response.text()) };
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', target);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => resolve({ status: xhr.status, body: parse(xhr.responseText) });
    xhr.onerror = () => reject(new ConnectionError(`Could not upload ${file.name}: the host is not reachable.`));
    xhr.send(file);
  });
}
