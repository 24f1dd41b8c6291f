import { CallMessage, type ResultMessage } from '@vmp/shared/api';
import { describeIssues } from '@vmp/shared/errors';
import type { DispatchResult } from '../core/dispatch.ts';

export interface IpcCallOptions {
  /** The URL of the frame that sent the call: only the app's own pages may call the API. */
  isTrustedSender(frameUrl: string | undefined): boolean;
  dispatch(method: string, input: unknown): Promise<DispatchResult>;
  /** Sees every successful result (main records URLs the app produced, e.g. Checkout). */
  onResult?(method: string, output: unknown): void;
}

/**
 * The body of ipcMain.handle(IPC_CALL_CHANNEL): always answers a ResultMessage whose error is the wire shape
 * {code, message, details} the WebSocket host sends too, never a thrown Error (Electron would keep only its message).
 */
export function createIpcCallHandler(options: IpcCallOptions) {
  return async (frameUrl: string | undefined, raw: unknown): Promise<ResultMessage> => {
    const call = CallMessage.safeParse(raw);
    const id = call.success ? call.data.id : -1;
    if (!options.isTrustedSender(frameUrl)) {
      return {
        type: 'result',
        id,
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Calls are only accepted from the app.' },
      };
    }
    if (!call.success) {
      const issues = call.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
      return {
        type: 'result',
        id,
        ok: false,
        error: {
          code: 'VALIDATION_ERROR',
          message: `Malformed call message: ${describeIssues(call.error.issues)}`,
          details: { issues },
        },
      };
    }
    const result = await options.dispatch(call.data.method, call.data.input);
    if (!result.ok) return { type: 'result', id, ok: false, error: result.error };
    options.onResult?.(call.data.method, result.output);
    return { type: 'result', id, ok: true, output: result.output };
  };
}

/** Methods whose output carries a URL the app produced for the user to open in the browser. */
const URL_METHODS = new Set(['credits.checkoutUrl']);

export function producedUrl(method: string, output: unknown): string | null {
  if (!URL_METHODS.has(method) || !output || typeof output !== 'object') return null;
  const url = (output as { url?: unknown }).url;
  return typeof url === 'string' ? url : null;
}
