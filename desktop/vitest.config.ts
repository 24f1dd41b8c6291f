import { defineProject } from 'vitest/config';

// Engine and store tests run real FFmpeg and SQLite: generous timeouts, node environment.
// Renderer tests opt into a DOM with `// @vitest-environment happy-dom` at the top of the file.
export default defineProject({
  test: {
    name: 'desktop',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
