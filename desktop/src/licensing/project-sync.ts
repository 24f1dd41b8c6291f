import type { ApiEvent, SyncConflict, SyncStatus } from '@vmp/shared/api';
import { AppError } from '@vmp/shared/errors';
import { MAX_PROJECT_BYTES, SyncedProjectDoc, VersionConflictError } from '@vmp/shared/http';
import { OfflineError } from './client.ts';
import type { CreditLedger } from './ledger.ts';
import { docHash, type ProjectDoc, type ProjectSyncPort, sameContent } from './project-doc.ts';
import type { Licensing } from './service.ts';
import { ProjectSyncClient, type PulledChange } from './sync-client.ts';

export { docHash, type ProjectDoc, type ProjectSyncPort, sameContent } from './project-doc.ts';

/** Keyed by the server's project id (the id on the machine that created it); `local_id` is this machine's. */
interface Row {
  project_id: string;
  local_id: string | null;
  version: number | null;
  synced_hash: string | null;
  deleted: number;
  conflict: string | null;
}

interface StoredConflict {
  version: number;
  deleted: boolean;
  doc?: ProjectDoc;
}

/**
 * Two-way project sync through /v1/projects: pull changes after the stored cursor, apply those this machine has not
 * changed since its last sync, push local changes with If-Match. When both sides changed, nothing is overwritten:
 * the project is marked in conflict until the user keeps one version (`resolve`).
 */
export class ProjectSync {
  private running: Promise<SyncStatus> | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly licensing: Licensing,
    private readonly port: ProjectSyncPort,
    private readonly emit: (event: ApiEvent) => void = () => {},
  ) {}

  private get ledger(): CreditLedger {
    return this.licensing.ledger;
  }

  private get remote(): ProjectSyncClient {
    return new ProjectSyncClient(this.licensing.client);
  }

  private row(id: string): Row | undefined {
    return this.ledger.db.prepare('SELECT * FROM sync_projects WHERE project_id = ?').get(id) as Row | undefined;
  }

  private saveRow(id: string, patch: Partial<Omit<Row, 'project_id'>>): void {
    const row = this.row(id) ?? {
      project_id: id,
      local_id: null,
      version: null,
      synced_hash: null,
      deleted: 0,
      conflict: null,
    };
    const next = { ...row, ...patch };
    this.ledger.db
      .prepare(
        'INSERT OR REPLACE INTO sync_projects (project_id, local_id, version, synced_hash, deleted, conflict) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, next.local_id, next.version, next.synced_hash, next.deleted, next.conflict);
  }

  /** Server id of a local project: the one it was pulled under, else its own id. */
  private remoteId(localId: string): string {
    const row = this.ledger.db.prepare('SELECT project_id FROM sync_projects WHERE local_id = ?').get(localId) as
      | { project_id: string }
      | undefined;
    return row?.project_id ?? localId;
  }

  /** This machine's project for a server id, if it has one. */
  private localId(remoteId: string): string | null {
    const row = this.row(remoteId);
    if (row?.local_id) return this.port.exportDoc(row.local_id) ? row.local_id : null;
    return this.port.exportDoc(remoteId) ? remoteId : null;
  }

  private exportRemote(remoteId: string): ProjectDoc | null {
    const local = this.localId(remoteId);
    return local ? this.port.exportDoc(local) : null;
  }

  private importRemote(remoteId: string, doc: ProjectDoc): ProjectDoc | null {
    const localId = this.port.importDoc(this.localId(remoteId), doc);
    this.saveRow(remoteId, { local_id: localId });
    return this.port.exportDoc(localId);
  }

  private deleteRemote(remoteId: string): void {
    const local = this.localId(remoteId);
    if (local) this.port.deleteProject(local);
  }

  /** Background sync every `intervalMs` (and right away); the UI never waits for it. */
  startAuto(intervalMs: number): void {
    const run = () => {
      if (this.stopped) return;
      try {
        if (this.licensing.status().state !== 'unlicensed') void this.syncNow().catch(() => {});
      } catch {
        // Closing meanwhile.
      }
    };
    this.first = setTimeout(run, 0);
    this.first.unref();
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.first);
    clearInterval(this.timer);
  }

  status(): SyncStatus {
    const enabled = Boolean(this.licensing.status().state !== 'unlicensed');
    const rows = this.ledger.db.prepare('SELECT * FROM sync_projects').all() as Row[];
    const byId = new Map(rows.map((r) => [r.project_id, r]));
    const conflicts: SyncConflict[] = [];
    const projects: SyncStatus['projects'] = [];
    for (const localId of this.port.listProjectIds()) {
      const id = this.remoteId(localId);
      const row = byId.get(id);
      const doc = this.port.exportDoc(localId);
      if (row?.conflict && doc) {
        const theirs = JSON.parse(row.conflict) as StoredConflict;
        conflicts.push({
          projectId: localId,
          mine: { name: doc.name, modifiedAt: doc.modifiedAt },
          theirs: {
            name: theirs.doc?.name ?? doc.name,
            modifiedAt: theirs.doc?.modifiedAt ?? 0,
            deleted: theirs.deleted,
          },
        });
        projects.push({ projectId: localId, state: 'conflict', version: row.version });
      } else if (!row?.version) {
        projects.push({ projectId: localId, state: enabled ? 'pending' : 'local-only', version: null });
      } else {
        const dirty = doc ? docHash(doc) !== row.synced_hash : false;
        projects.push({ projectId: localId, state: dirty ? 'pending' : 'synced', version: row.version });
      }
    }
    return {
      enabled,
      online: this.licensing.credits().online,
      running: this.running !== null,
      lastSyncedAt: this.ledger.get<number>('sync.lastSyncedAt') ?? null,
      lastError: this.lastError,
      projects,
      conflicts,
      rejected: Object.entries(this.rejected()).map(([projectId, r]) => ({ projectId, ...r })),
    };
  }

  syncNow(): Promise<SyncStatus> {
    this.running ??= this.run().finally(() => {
      this.running = null;
      this.emit({ type: 'sync.updated', sync: this.status() });
    });
    return this.running;
  }

  private async run(): Promise<SyncStatus> {
    if (this.licensing.status().state === 'unlicensed') {
      throw new AppError('NOT_ACTIVATED', 'Project sync needs an activated license: enter your key in Settings.', {
        status: 401,
      });
    }
    this.emit({ type: 'sync.updated', sync: { ...this.status(), running: true } });
    try {
      await this.pull();
      const tooBig = await this.push();
      this.ledger.set('sync.lastSyncedAt', Date.now());
      this.lastError = tooBig.length ? tooBig.join(' ') : null;
    } catch (error) {
      this.lastError = error instanceof OfflineError ? 'The server cannot be reached.' : (error as Error).message;
    }
    return this.status();
  }

  private async pull(): Promise<void> {
    const cursor = this.ledger.get<string>('sync.cursor');
    const { changes, cursor: next } = await this.remote.pull(cursor);
    let changed = false;
    for (const change of changes) changed = this.applyRemote(change) || changed;
    this.ledger.set('sync.cursor', next);
    if (changed) this.emit({ type: 'projects.changed' });
  }

  /** Applies one remote change unless this machine changed the project too (then: conflict). */
  private applyRemote(change: PulledChange): boolean {
    const id = change.meta.id;
    const row = this.row(id);
    if (row?.version && row.version >= change.meta.version) return false; // Ours, or already applied.
    const local = this.exportRemote(id);
    let dirty = local !== null && (!row || docHash(local) !== row.synced_hash);
    let theirs: ProjectDoc | undefined;
    if (!change.meta.deleted && change.doc !== undefined) {
      // Another machine's document is untrusted input: one that is not a valid project is skipped and reported,
      // and the rest of the pull goes on (the cursor is saved past it).
      const parsed = SyncedProjectDoc.safeParse(change.doc);
      if (!parsed.success) {
        this.reject(id, change.doc, parsed.error);
        this.saveRow(id, { version: change.meta.version });
        return true;
      }
      theirs = parsed.data as ProjectDoc;
      // Both machines made the same change (e.g. codes given to the same synced clips): nothing to choose between.
      if (dirty && sameContent(local!, theirs)) dirty = false;
    }
    this.clearRejected(id);
    if (dirty) {
      const conflict: StoredConflict = { version: change.meta.version, deleted: change.meta.deleted, doc: theirs };
      this.saveRow(id, { conflict: JSON.stringify(conflict) });
      return true;
    }
    if (change.meta.deleted) {
      if (local) this.deleteRemote(id);
      this.saveRow(id, { version: change.meta.version, deleted: 1, synced_hash: null, conflict: null });
      return true;
    }
    if (!theirs) return false;
    const applied = this.importRemote(id, theirs);
    this.saveRow(id, {
      version: change.meta.version,
      synced_hash: applied ? docHash(applied) : null,
      deleted: 0,
      conflict: null,
    });
    return true;
  }

  private rejected(): Record<string, { name: string | null; message: string }> {
    return this.ledger.get<Record<string, { name: string | null; message: string }>>('sync.rejected') ?? {};
  }

  private reject(id: string, doc: unknown, error: { issues: { path: PropertyKey[]; message: string }[] }): void {
    const name = (doc as { name?: unknown } | null)?.name;
    const issue = error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : 'document';
    this.ledger.set('sync.rejected', {
      ...this.rejected(),
      [id]: {
        name: typeof name === 'string' ? name.slice(0, 120) : null,
        message: `Not applied: ${where} ${issue?.message ?? 'is not a valid project'}. Fix or delete it on the machine that sent it.`,
      },
    });
  }

  private clearRejected(id: string): void {
    const all = this.rejected();
    if (!(id in all)) return;
    delete all[id];
    this.ledger.set('sync.rejected', all);
  }

  /** Pushes local changes; returns what could not be sent (a project too big), the rest goes on. */
  private async push(): Promise<string[]> {
    const tooBig: string[] = [];
    const localIds = this.port.listProjectIds();
    const local = new Set(localIds.map((l) => this.remoteId(l)));
    for (const localId of localIds) {
      const id = this.remoteId(localId);
      const row = this.row(id);
      if (row?.conflict) continue;
      const doc = this.port.exportDoc(localId);
      if (!doc) continue;
      const hash = docHash(doc);
      if (row?.version && row.synced_hash === hash && !row.deleted) continue;
      const bytes = Buffer.byteLength(JSON.stringify({ doc }));
      if (bytes > MAX_PROJECT_BYTES) {
        tooBig.push(
          `"${doc.name}" is too big to sync (${(bytes / 2 ** 20).toFixed(1)} MB; the server takes ${MAX_PROJECT_BYTES / 2 ** 20} MB): remove old ad reports in its Results tab, or split it.`,
        );
        continue;
      }
      await this.pushOne(
        id,
        doc,
        row?.deleted ? undefined : (row?.version ?? undefined),
        row?.deleted ? row.version : null,
      );
    }
    // Deleted here since the last sync: a tombstone on the server.
    const rows = this.ledger.db.prepare('SELECT * FROM sync_projects WHERE deleted = 0').all() as Row[];
    for (const row of rows) {
      if (local.has(row.project_id) || !row.version) continue;
      try {
        const meta = await this.remote.remove(row.project_id, row.version);
        this.saveRow(row.project_id, { version: meta.version, deleted: 1, synced_hash: null });
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
        // Changed elsewhere after this machine deleted it: bring that version back rather than destroy it.
        const current = await this.remote.get(row.project_id);
        if (current && !current.meta.deleted) {
          const applied = this.importRemote(row.project_id, current.doc as unknown as ProjectDoc);
          this.saveRow(row.project_id, {
            version: current.meta.version,
            synced_hash: applied ? docHash(applied) : null,
          });
          this.emit({
            type: 'notice',
            level: 'warning',
            message: `"${(current.doc as { name?: string }).name ?? row.project_id}" was deleted here but changed on another machine; it was restored.`,
          });
        }
      }
    }
    return tooBig;
  }

  /** Sends one document; a stale base version becomes a conflict with the server's current copy. */
  private async pushOne(id: string, doc: ProjectDoc, baseVersion?: number, tombstoneVersion?: number | null) {
    try {
      const meta = await this.remote.push(
        id,
        doc as unknown as Record<string, unknown>,
        baseVersion ?? tombstoneVersion ?? undefined,
      );
      this.saveRow(id, { version: meta.version, synced_hash: docHash(doc), deleted: 0, conflict: null });
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      const current = await this.remote.get(id);
      const conflict: StoredConflict = current
        ? { version: current.meta.version, deleted: current.meta.deleted, doc: current.doc as unknown as ProjectDoc }
        : { version: (error.details as { currentVersion: number }).currentVersion, deleted: true };
      this.saveRow(id, { conflict: JSON.stringify(conflict) });
    }
  }

  /** keep 'mine': this machine's version replaces the server's; 'theirs': the server's replaces this one. */
  async resolve(localId: string, keep: 'mine' | 'theirs'): Promise<SyncStatus> {
    const projectId = this.remoteId(localId);
    const row = this.row(projectId);
    if (!row?.conflict) {
      throw new AppError('NO_CONFLICT', `projectId: project ${localId} has no sync conflict to resolve.`, {
        status: 404,
      });
    }
    const theirs = JSON.parse(row.conflict) as StoredConflict;
    if (keep === 'theirs') {
      if (theirs.deleted || !theirs.doc) {
        this.port.deleteProject(localId);
        this.saveRow(projectId, { version: theirs.version, deleted: 1, synced_hash: null, conflict: null });
        this.emit({ type: 'projects.changed' });
      } else {
        const applied = this.importRemote(projectId, theirs.doc);
        this.saveRow(projectId, {
          version: theirs.version,
          synced_hash: applied ? docHash(applied) : null,
          deleted: 0,
          conflict: null,
        });
        this.emit({ type: 'project.changed', projectId: localId });
        this.emit({ type: 'projects.changed' });
      }
    } else {
      const doc = this.port.exportDoc(localId);
      if (!doc)
        throw new AppError('NOT_FOUND', `projectId: project ${localId} no longer exists here.`, { status: 404 });
      const meta = await this.remote.push(projectId, doc as unknown as Record<string, unknown>, theirs.version);
      this.saveRow(projectId, { version: meta.version, synced_hash: docHash(doc), deleted: 0, conflict: null });
    }
    const status = this.status();
    this.emit({ type: 'sync.updated', sync: status });
    return status;
  }
}
