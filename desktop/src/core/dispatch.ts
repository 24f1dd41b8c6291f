import { type ApiHandlers, apiMethods, isMethodName, type ResultMessage } from '@vmp/shared/api';
import { describeIssues, type SerializedError, serializeError, ValidationError } from '@vmp/shared/errors';

export type DispatchResult = { ok: true; output: unknown } | { ok: false; error: SerializedError };

/**
 * The one entry every adapter (IPC, WebSocket, tests) goes through: checks the method name and validates the raw
 * input against the contract before any handler runs. Never throws: failures come back as serialized AppErrors.
 */
export async function dispatch(core: ApiHandlers, method: unknown, rawInput: unknown): Promise<DispatchResult> {
  try {
    if (!isMethodName(method)) {
      throw new ValidationError(`Unknown method ${JSON.stringify(method)}.`, { field: 'method' });
    }
    const parsed = apiMethods[method].input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
      throw new ValidationError(`${method}: ${describeIssues(parsed.error.issues)}`, { method, issues });
    }
    const handler = core[method] as (input: unknown) => Promise<unknown>;
    const output = await handler(parsed.data);
    return { ok: true, output };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/** The wire envelope of a dispatch result (WebSocket and IPC both answer with it). */
export function resultMessage(id: number, result: DispatchResult): ResultMessage {
  return result.ok
    ? { type: 'result', id, ok: true, output: result.output }
    : { type: 'result', id, ok: false, error: result.error };
}
