import { defineConfig } from 'drizzle-kit';

// Migrations are generated offline (`npx drizzle-kit generate --config desktop/drizzle.config.ts`) and committed;
// the app applies them at start with drizzle's better-sqlite3 migrator.
export default defineConfig({
  dialect: 'sqlite',
  schema: './desktop/src/store/schema.ts',
  out: './desktop/drizzle',
});
