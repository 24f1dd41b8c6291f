import type { ResultMessage } from '@vmp/shared/api';
import { NotFoundError } from '@vmp/shared/errors';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../core/dispatch.ts';
import { createIpcCallHandler } from '../main/ipc.ts';
import { ApiError } from '../renderer/api/errors.ts';
import { clientFromBridge, type PreloadBridge } from './bridge.ts';

/** The bridge as the preload builds it, with ipcRenderer.invoke replaced by main's real IPC handler. */
function bridgeTo(core: Record<string, (input: unknown) => Promise<unknown>>): PreloadBridge & { sent: string[] } {
  const handle = createIpcCallHandler({
    isTrustedSender: () => true,
    dispatch: (method, input) => dispatch(core as never, method, input),
  });
  let id = 1;
  const sent: string[] = [];
  return {
    sent,
    async invoke(method, input) {
      sent.push(method);
      // structuredClone: what crosses Electron's IPC is a copy, as in the app.
      return structuredClone(await handle('vmp://app/index.html', { type: 'call', id: id++, method, input }));
    },
    subscribe: () => () => {},
    mediaUrl: (kind, mediaId) => `vmp://app/media/${kind}/${mediaId}`,
    pathForFile: () => null,
  };
}

describe('clientFromBridge', () => {
  it('rejects with the same typed ApiError (code, message, details) as the WebSocket client', async () => {
    const client = clientFromBridge(
      bridgeTo({
        'projects.get': async () => {
          throw new NotFoundError('Project p1 does not exist', { projectId: 'p1' });
        },
      }),
    );
    const error = await client.call('projects.get', { projectId: 'p1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Project p1 does not exist',
      details: { projectId: 'p1' },
    });
  });

  it('refuses invalid input before sending, naming the field, like the browser client', async () => {
    const bridge = bridgeTo({});
    const error = await clientFromBridge(bridge)
      .call('projects.create', { name: '  ' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', message: 'name: must not be empty' });
    expect(bridge.sent).toEqual([]);
  });

  it('resolves with the validated output and turns a malformed envelope into PROTOCOL_ERROR', async () => {
    const state = { paused: false, running: 0, pending: 0, concurrency: 2 };
    const ok = clientFromBridge(bridgeTo({ 'queue.state': async () => state }));
    await expect(ok.call('queue.state', {})).resolves.toEqual(state);

    const broken: PreloadBridge = {
      ...bridgeTo({}),
      invoke: async () => ({ type: 'result', id: 1, ok: false }) as unknown as ResultMessage,
    };
    const error = await clientFromBridge(broken)
      .call('queue.state', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'PROTOCOL_ERROR' });
  });
});
