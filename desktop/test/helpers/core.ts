import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiMethods, type MethodInput, type MethodName, type MethodOutput } from '@vmp/shared/api';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Core, createCore } from '../../src/core/core.ts';
import { type DispatchResult, dispatch } from '../../src/core/dispatch.ts';
import { hostPlatform } from '../../src/core/platform.ts';

export interface TestCore {
  /** A fresh temporary folder: the core's data in data/, its default output folder out/. */
  readonly root: string;
  readonly core: Core;
}

/**
 * One core for the test file, as the browser host runs it: created before the first test in a new temporary folder,
 * closed and removed after the last. The platform sees an empty PATH, so reveal/open never launch a file manager.
 * Read `root` and `core` inside tests, once the hooks have run.
 */
export function withTestCore(name: string): TestCore {
  const state: { root?: string; core?: Core } = {};
  beforeAll(() => {
    state.root = mkdtempSync(join(tmpdir(), `vmp-core-${name}-`));
    state.core = createCore({
      dataDir: join(state.root, 'data'),
      defaultOutputDir: join(state.root, 'out'),
      platform: hostPlatform({ PATH: '' }, 'linux'),
    });
  });
  afterAll(async () => {
    await state.core?.close();
    if (state.root) rmSync(state.root, { recursive: true, force: true });
  });
  return {
    get root() {
      if (!state.root) throw new Error('withTestCore: read root inside a test');
      return state.root;
    },
    get core() {
      if (!state.core) throw new Error('withTestCore: read core inside a test');
      return state.core;
    },
  };
}

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
