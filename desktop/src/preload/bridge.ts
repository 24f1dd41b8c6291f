import {
  type ApiClient,
  type ApiEvent,
  apiMethods,
  isMethodName,
  type MediaKind,
  type MethodName,
  ResultMessage,
} from '@vmp/shared/api';
import { describeIssues } from '@vmp/shared/errors';
import { ApiError } from '../renderer/api/errors.ts';

/**
 * What the preload exposes on `window.vmpBridge`: plain data in and out, because contextBridge copies an Error
 * thrown across it as a bare Error with only its message (its class, `code` and `details` are lost). The typed
 * client is built on the page's side of the bridge by `clientFromBridge`, so the renderer gets the same ApiError
 * (code, message, details) from Electron as from the browser host's WebSocket client.
 */
export interface PreloadBridge {
  /** Calls main; resolves with the ResultMessage envelope, never rejects. */
  invoke(method: string, input: unknown): Promise<ResultMessage>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  mediaUrl(kind: MediaKind, id: string): string;
  pathForFile(file: File): string | null;
}

/** The ApiError the browser client builds for a failed result; a malformed answer is a PROTOCOL_ERROR. */
export function resultToValue(method: MethodName, raw: unknown): unknown {
  const result = ResultMessage.safeParse(raw);
  if (!result.success) throw new ApiError('PROTOCOL_ERROR', `The app sent a malformed answer to ${method}.`);
  if (!result.data.ok) throw new ApiError(result.data.error.code, result.data.error.message, result.data.error.details);
  const output = apiMethods[method].output.safeParse(result.data.output);
  if (output.success) return output.data;
  // As in the browser client: contract drift is loud in the console but does not break the screen.
  console.warn(`vmp: ${method} answered outside the contract:`, describeIssues(output.error.issues));
  return result.data.output;
}

/** The renderer's ApiClient over the preload bridge (same errors as createBrowserClient). */
export function clientFromBridge(bridge: PreloadBridge): ApiClient {
  const call = (async (method: MethodName, input: unknown) => {
    if (!isMethodName(method)) throw new ApiError('UNKNOWN_METHOD', `Unknown method ${method}`);
    const check = apiMethods[method].input.safeParse(input ?? {});
    if (!check.success) {
      throw new ApiError('VALIDATION_ERROR', describeIssues(check.error.issues), check.error.issues);
    }
    return resultToValue(method, await bridge.invoke(method, input ?? {}));
  }) as ApiClient['call'];
  return {
    call,
    subscribe: (listener) => bridge.subscribe(listener),
    mediaUrl: (kind, id) => bridge.mediaUrl(kind, id),
    pathForFile: (file) => bridge.pathForFile(file),
  };
}
