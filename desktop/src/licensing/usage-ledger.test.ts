import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageLedger } from './usage-ledger.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('usage ledger', () => {
  it('appends entries and survives a torn last line', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-ledger-'));
    const path = join(dir, 'usage.jsonl');
    const ledger = new UsageLedger(path);
    const a = await ledger.record(2, 'job-1');
    const b = await ledger.record(1);
    await appendFile(path, '{"type":"usage","entry":{"id":"torn');
    expect(await new UsageLedger(path).pending()).toEqual([a, b]);
    // The next entry starts on its own line instead of being glued to the torn one.
    const c = await ledger.record(3);
    expect(await ledger.pending()).toEqual([a, b, c]);
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ type: 'usage', entry: a });
  });
});
