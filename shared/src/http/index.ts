/** Zod schemas of the HTTP API: the server validates with them, the desktop client builds requests from them. */
export * from './admin.ts';
export * from './auth.ts';
export * from './credits.ts';
export * from './errors.ts';
export * from './licenses.ts';
export * from './me.ts';
export * from './payments.ts';
export * from './projects.ts';
export * from './text.ts';
