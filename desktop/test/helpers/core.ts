import { apiMethods, type MethodInput, type MethodName, type MethodOutput } from '@vmp/shared/api';
import { expect } from 'vitest';
import type { Core } from '../../src/core/core.ts';
import { type DispatchResult, dispatch } from '../../src/core/dispatch.ts';

/** Calls through dispatch (as every adapter does), expects success and checks the output against the contract. */
export async function call<M extends MethodName>(
  core: Core,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const result = await dispatch(core, method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  const checked = apiMethods[method].output.safeParse(result.output);
  expect(checked.success, `${method} output matches the contract: ${checked.error?.message}`).toBe(true);
  return result.output as MethodOutput<M>;
}

/** Calls through dispatch and expects a failure. */
export async function callFails(
  core: Core,
  method: string,
  input: unknown,
): Promise<Extract<DispatchResult, { ok: false }>['error']> {
  const result = await dispatch(core, method, input);
  if (result.ok) throw new Error(`${method} unexpectedly succeeded`);
  return result.error;
}
