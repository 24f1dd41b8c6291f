import { defineConfig } from 'vitest/config';

// One run over every workspace; each project keeps its own environment and timeouts.
export default defineConfig({
  test: {
    projects: ['shared', 'desktop', 'server', 'deploy'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
