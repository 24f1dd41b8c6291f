import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiMethods, type MethodInput, type MethodName, type MethodOutput } from '@vmp/shared/api';
import { expect } from 'vitest';
import { type Core, createCore } from '../../src/core/core.ts';
import { type DispatchResult, dispatch } from '../../src/core/dispatch.ts';
import { hostPlatform } from '../../src/core/platform.ts';
import { perFile } from './per-file.ts';

export interface TestCore {
  /** A fresh temporary folder: the core's data in data/, its default output folder out/. */
  readonly root: string;
  readonly core: Core;
}

/**
 * One core for the test file, as the browser host runs it, in a new temporary folder removed after the last test.
 * The platform sees an empty PATH, so reveal/open never launch a file manager.
 */
export function withTestCore(name: string): () => TestCore {
  return perFile(
    'withTestCore',
    () => {
      const root = mkdtempSync(join(tmpdir(), `vmp-core-${name}-`));
      const core = createCore({
        dataDir: join(root, 'data'),
        defaultOutputDir: join(root, 'out'),
        platform: hostPlatform({ PATH: '' }, 'linux'),
      });
      return { root, core };
    },
    async ({ root, core }) => {
      await core.close();
      rmSync(root, { recursive: true, force: true });
    },
  );
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
