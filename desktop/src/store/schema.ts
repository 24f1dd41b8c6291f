import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// JSON columns hold values already validated by the shared zod schemas; the store re-parses them on read.

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
});

export const projects = sqliteTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  mode: text('mode', { enum: ['manual', 'auto'] }).notNull(),
  settings: text('settings', { mode: 'json' }).notNull(),
  outputDir: text('output_dir').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const clips = sqliteTable(
  'clips',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    name: text('name').notNull(),
    hash: text('hash'),
    size: integer('size').notNull().default(0),
    /** File mtime at analysis: a cheap first check before re-hashing. */
    mtimeMs: real('mtime_ms'),
    info: text('info', { mode: 'json' }),
    problems: text('problems', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['analysing', 'ok', 'problem', 'missing', 'changed'] }).notNull(),
    /** Absolute path of the cached thumbnail (under the data folder), or null. */
    thumbnail: text('thumbnail'),
    addedAt: integer('added_at').notNull(),
    /** Caption cues (CaptionCue[]) burned in during their times; null: none. */
    captions: text('captions', { mode: 'json' }),
  },
  (t) => [uniqueIndex('clips_project_path').on(t.projectId, t.path)],
);

export const groups = sqliteTable(
  'groups',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    /** Headline variants (string[] as JSON), one more plan factor; null: none. */
    headlines: text('headlines', { mode: 'json' }),
  },
  (t) => [index('groups_project').on(t.projectId, t.position)],
);

export const groupClips = sqliteTable(
  'group_clips',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    clipId: text('clip_id')
      .notNull()
      .references(() => clips.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.clipId] })],
);

export const rules = sqliteTable('rules', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id, { onDelete: 'cascade' }),
  clipA: text('clip_a')
    .notNull()
    .references(() => clips.id, { onDelete: 'cascade' }),
  clipB: text('clip_b')
    .notNull()
    .references(() => clips.id, { onDelete: 'cascade' }),
});

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'] }).notNull(),
    settings: text('settings', { mode: 'json' }).notNull(),
    seed: integer('seed').notNull(),
    /** Snapshot at start: project name, clips (path, hash, info) by id, so later edits never change a job. */
    plan: text('plan', { mode: 'json' }).notNull(),
    outputDir: text('output_dir').notNull(),
    total: integer('total').notNull(),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
    /**
     * Pre-flight owed (jobs made for placements): null or 0 none; otherwise a generation, raised when outputs are retried, so
     * checks that finish after a retry do not close the job. The job is not done while it is set.
     */
    checksOwed: integer('checks_owed'),
    /** The near-duplicate report once the job's outputs were checked (rows.ts StoredNearDuplicates). */
    nearDuplicates: text('near_duplicates', { mode: 'json' }),
  },
  (t) => [index('jobs_project').on(t.projectId, t.createdAt)],
);

export const outputs = sqliteTable(
  'outputs',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    projectId: text('project_id').notNull(),
    index: integer('idx').notNull(),
    clipIds: text('clip_ids', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['pending', 'processing', 'completed', 'failed', 'cancelled'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    progress: real('progress').notNull().default(0),
    /** Planned final path; the file exists there only once COMPLETED (renders write `<path>.part`, then rename). */
    path: text('path').notNull(),
    duration: real('duration'),
    /** Render-farm worker ("host:pid") that made the file; null: this computer. */
    worker: text('worker'),
    /** Made for a placement: the pre-flight of the finished file (Preflight). */
    preflight: text('preflight', { mode: 'json' }),
    /** dHashes (hex) of the file's opening, for the job's near-duplicate report (engine/similarity). */
    opening: text('opening', { mode: 'json' }),
    /** Epoch ms before which a retried output waits (exponential backoff). */
    notBefore: integer('not_before').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('outputs_job_index').on(t.jobId, t.index),
    index('outputs_status').on(t.status, t.notBefore),
    index('outputs_project').on(t.projectId, t.status),
  ],
);

// Results and component codes (#20) live in their own file.
export * from './schema-results.ts';
