import { defineProject } from 'vitest/config';

// Deployment checks: the server process as the image runs it (signals, migrations) and the container image itself.
export default defineProject({
  test: {
    name: 'deploy',
    include: ['**/*.test.ts'],
    environment: 'node',
    // The server's: a fresh, migrated PostgreSQL database for the run (TEST_DATABASE_URL), dropped afterwards.
    globalSetup: ['../server/test/global-setup.ts'],
    // Server processes start in seconds on a quiet machine, in tens of seconds beside the image build.
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
});
