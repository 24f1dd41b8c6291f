// `vmp mix --notify-url`: the real CLI renders a small mix and POSTs its summary to a local receiver that refuses
// the first attempt.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { runVmp } from '../../test/helpers/cli.ts';
import { startReceiver } from './receiver.test-helper.ts';

const dir = mkdtempSync(join(tmpdir(), 'vmp-notify-cli-'));
let server: Server | undefined;
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('POSTs the run summary after the videos are made, again after a failed first attempt', async () => {
  const receiver = await startReceiver([500, 200]);
  server = receiver.server;
  const clips = join(dir, 'Spring');
  for (const g of ['1 Hook', '2 Body']) await makeClip(join(clips, g), 'a', { duration: 0.5 });
  const out = join(dir, 'out');
  const env = { VMP_CACHE_DIR: join(dir, 'cache'), VMP_DATA_DIR: join(dir, 'data') };
  const bad = await runVmp(['mix', clips, '--out', out, '--notify-url', 'mailto:me@example.com'], env);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--notify-url must be an http:// or https:// URL');

  const run = await runVmp(['mix', clips, '--out', out, '--notify-url', receiver.url], env);
  expect(run.code, run.stderr).toBe(0);
  expect(receiver.received).toHaveLength(2);
  expect(receiver.received[1]!.body).toMatchObject({
    event: 'run.finished',
    project: 'Spring',
    status: 'completed',
    made: 1,
    failed: 0,
    credits: 0,
    outputs: out,
  });
  expect(run.stderr).not.toContain('secret-token');
});
