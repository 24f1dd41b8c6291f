import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CreditLedger } from './ledger.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function open(): { ledger: CreditLedger; path: string } {
  dir = mkdtempSync(join(tmpdir(), 'vmp-ledger-'));
  const path = join(dir, 'licensing.sqlite');
  return { ledger: new CreditLedger(path), path };
}

describe('credit ledger (SQLite)', () => {
  it('charges each completed output once, across reopen, and commits what the job used', () => {
    const { ledger, path } = open();
    ledger.openJob({ jobId: 'job-tmp', mode: 'reserved', reservationId: 'r1', amount: 4 });
    ledger.renameJob('job-tmp', 'J');
    expect(ledger.recordOutput('o1', 'J', 1)).toBe(true);
    expect(ledger.recordOutput('o1', 'J', 1)).toBe(false);
    ledger.close();
    const again = new CreditLedger(path);
    expect(again.recordOutput('o1', 'J', 1)).toBe(false);
    expect(again.recordOutput('o2', 'J', 1)).toBe(true);
    expect(again.recordOutput('x', 'unknown-job', 1)).toBe(false);
    expect(again.pendingUsage()).toBe(0);
    expect(again.beginSettle('J')).toMatchObject({ state: 'settling', used: 2 });
    // Fixed at settle time: a retried output after the hold closes becomes usage, not a second commit.
    expect(again.pendingUsage()).toBe(2);
    expect(again.recordOutput('o3', 'J', 1)).toBe(true);
    expect(again.beginSettle('J')).toMatchObject({ state: 'settling', used: 2 });
    again.settled('J');
    expect(again.pendingEntries().map((e) => e.id)).toEqual(['out-o3']);
    expect(again.pendingUsage()).toBe(1);
    again.markSent(['out-o3']);
    expect(again.pendingUsage()).toBe(0);
    again.close();
  });

  it('turns an expired hold into usage entries with the same ids, and counts offline usage', () => {
    const { ledger } = open();
    ledger.openJob({ jobId: 'A', mode: 'reserved', reservationId: 'r', amount: 3 });
    ledger.recordOutput('a1', 'A', 1);
    ledger.beginSettle('A');
    ledger.holdLost('A');
    ledger.openJob({ jobId: 'B', mode: 'offline', reservationId: null, amount: 2 });
    ledger.recordOutput('b1', 'B', 1);
    ledger.recordOutput('b2', 'B', 1);
    expect(ledger.pendingEntries().map((e) => e.id)).toEqual(['out-a1', 'out-b1', 'out-b2']);
    expect(ledger.pendingUsage()).toBe(3);
    ledger.close();
  });
});
