export * from './db.ts';
export * from './errors.ts';
export * from './job-status.ts';
export type { OutputCounts } from './rows.ts';
export * from './store.ts';
