import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { projects } from './schema.ts';

/**
 * Component codes (engine/codes): one row per clip (or headline text) and prefix, kept for the project's life, so
 * a code is never handed out twice. `key` is a clip id, or a headline's text under prefix "T".
 */
export const componentCodes = sqliteTable(
  'component_codes',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    prefix: text('prefix').notNull(),
    key: text('key').notNull(),
    code: text('code').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.prefix, t.key] }),
    uniqueIndex('component_codes_code').on(t.projectId, t.code),
  ],
);

/** One imported ad report (CSV), in import order. */
export const resultImports = sqliteTable(
  'result_imports',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    file: text('file').notNull(),
    platform: text('platform', { enum: ['meta', 'tiktok', 'other'] }).notNull(),
    currency: text('currency'),
    /** ColumnMapping (JSON): the column each field was read from. */
    columns: text('columns', { mode: 'json' }).notNull(),
    importedAt: integer('imported_at').notNull(),
  },
  (t) => [index('result_imports_project').on(t.projectId, t.importedAt)],
);

/** The rows of an import, as read (matching to outputs happens when results are computed). */
export const resultRows = sqliteTable(
  'result_rows',
  {
    importId: text('import_id')
      .notNull()
      .references(() => resultImports.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    adName: text('ad_name').notNull(),
    adId: text('ad_id'),
    impressions: real('impressions').notNull(),
    clicks: real('clicks').notNull(),
    spend: real('spend').notNull(),
    conversions: real('conversions').notNull(),
    hookViews: real('hook_views'),
    start: text('start').notNull(),
    end: text('end').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
);

/**
 * Ads another machine rendered (they come with the synced project), as combinations of this machine's clips, so its
 * reports match here too. Replaced as a whole by each pulled document.
 */
export const syncedAds = sqliteTable(
  'synced_ads',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** Clip ids in play order (JSON), as an output's clipIds. */
    clipIds: text('clip_ids').notNull(),
    /** Headline texts shown (JSON), as an output's headlines. */
    headlines: text('headlines').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.clipIds, t.headlines] })],
);
