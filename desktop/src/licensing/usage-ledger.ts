import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { UsageEntry } from '@vmp/shared/http';
import type { LicensingClient } from './client.ts';

type Line = { type: 'usage'; entry: UsageEntry } | { type: 'synced'; ids: string[]; at: string };

/**
 * Append-only JSON-lines ledger of renders done offline. Lines are only ever appended: a usage line when
 * a render finishes, a synced line once the server has the entries. The server debits each id once, so
 * resending after a crash between the two is harmless.
 */
export class UsageLedger {
  constructor(private readonly path: string) {}

  private async lines(): Promise<Line[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: Line[] = [];
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      try {
        out.push(JSON.parse(raw) as Line);
      } catch {
        // A torn last line after a crash: that write never completed, skip it.
      }
    }
    return out;
  }

  private async append(line: Line): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // After a torn write the file does not end in a newline: start on a fresh line so this one parses.
    const prefix = (await this.endsClean()) ? '' : '\n';
    await appendFile(this.path, `${prefix}${JSON.stringify(line)}\n`, { flag: 'a' });
  }

  private async endsClean(): Promise<boolean> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(this.path, 'r');
      const { size } = await handle.stat();
      if (size === 0) return true;
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      return last[0] === 0x0a;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw error;
    } finally {
      await handle?.close();
    }
  }

  /** Records credits used by an offline render; returns the entry (its id makes the debit idempotent). */
  async record(amount: number, jobId?: string, at = new Date()): Promise<UsageEntry> {
    const entry: UsageEntry = { id: randomUUID(), amount, at: at.toISOString(), ...(jobId ? { jobId } : {}) };
    await this.append({ type: 'usage', entry });
    return entry;
  }

  async pending(): Promise<UsageEntry[]> {
    const lines = await this.lines();
    const synced = new Set(lines.flatMap((l) => (l.type === 'synced' ? l.ids : [])));
    return lines.flatMap((l) => (l.type === 'usage' && !synced.has(l.entry.id) ? [l.entry] : []));
  }

  /** Sends pending entries in batches and marks what the server accepted (new or already known). */
  async sync(client: LicensingClient, batchSize = 500): Promise<{ sent: number; balance?: number }> {
    const pending = await this.pending();
    let balance: number | undefined;
    for (let i = 0; i < pending.length; i += batchSize) {
      const batch = pending.slice(i, i + batchSize);
      const res = await client.reportUsage(batch);
      await this.append({ type: 'synced', ids: [...res.applied, ...res.duplicates], at: new Date().toISOString() });
      balance = res.balance;
    }
    return { sent: pending.length, balance };
  }
}
