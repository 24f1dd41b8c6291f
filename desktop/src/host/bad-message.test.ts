import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_PATHS } from '@vmp/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketClient } from '../../test/helpers/ws-client.ts';
import { type RunningHost, startHost } from './server.ts';

let root: string;
let host: RunningHost;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-host-msg-'));
  host = await startHost({ dataDir: join(root, 'data'), defaultOutputDir: join(root, 'out'), port: 0 });
});
afterAll(async () => {
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('WebSocket messages the host cannot read (issue 18, also low)', () => {
  it('answers BAD_MESSAGE, not INTERNAL_ERROR, to a message that is not JSON', async () => {
    const client = await SocketClient.connect(
      `${host.url.replace('http', 'ws').replace(/\/$/, '')}${HOST_PATHS.socket}`,
    );
    try {
      client.send('not json {');
      client.send('{"type":"call","id":1');
      for (let i = 0; i < 100 && client.raw.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(client.raw).toHaveLength(2);
      for (const reply of client.raw) {
        expect(reply).toMatchObject({ id: -1, ok: false, error: { code: 'BAD_MESSAGE' } });
      }
    } finally {
      client.close();
    }
  });
});
