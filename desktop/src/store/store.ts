import { ClipsRepo } from './clips.ts';
import { CodesRepo } from './codes.ts';
import { type OpenedDb, openDb } from './db.ts';
import { GroupsRepo } from './groups.ts';
import { JobsRepo } from './jobs.ts';
import { OutputsRepo } from './outputs.ts';
import { ProjectsRepo } from './projects.ts';
import type { RepoContext } from './repo.ts';
import { ResultsRepo } from './results.ts';
import { RulesRepo } from './rules.ts';
import { SettingsRepo } from './settings.ts';

export type { ClipPatch, NewClip } from './clips.ts';
export type { NewJob } from './jobs.ts';
export type { OutputFilter, OutputPatch } from './outputs.ts';
export type { NewProject, ProjectPatch } from './projects.ts';

/**
 * The app's state in one SQLite file, one repository per kind of record (`store.projects.get(id)`).
 * Synchronous (better-sqlite3): every method is one short transaction.
 */
export class Store {
  readonly opened: OpenedDb;
  readonly settings: SettingsRepo;
  readonly projects: ProjectsRepo;
  readonly clips: ClipsRepo;
  readonly groups: GroupsRepo;
  readonly rules: RulesRepo;
  readonly jobs: JobsRepo;
  readonly outputs: OutputsRepo;
  readonly codes: CodesRepo;
  readonly results: ResultsRepo;

  constructor(opened: OpenedDb) {
    this.opened = opened;
    const ctx: RepoContext = { db: opened.db, sqlite: opened.sqlite, transaction: (fn) => this.transaction(fn) };
    this.settings = new SettingsRepo(ctx);
    this.projects = new ProjectsRepo(ctx);
    this.clips = new ClipsRepo(ctx);
    this.groups = new GroupsRepo(ctx, this.projects, this.clips);
    this.rules = new RulesRepo(ctx, this.clips);
    this.jobs = new JobsRepo(ctx);
    this.outputs = new OutputsRepo(ctx);
    this.codes = new CodesRepo(ctx);
    this.results = new ResultsRepo(ctx);
  }

  /** Opens the database in `dataDir` (WAL, migrations applied). */
  static open(dataDir: string, options: { migrationsDir?: string } = {}): Store {
    return new Store(openDb(dataDir, options));
  }

  close(): void {
    this.opened.close();
  }

  transaction<T>(fn: () => T): T {
    return this.opened.sqlite.transaction(fn)();
  }
}
