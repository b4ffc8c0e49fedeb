import { defineConfig } from 'vitest/config';

// Unit tests run in parallel; integration tests (*.int.test.ts) share one real stack, started once
// by the global setup, and run one file at a time so their load does not skew each other on 2 cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', '.tools/**', '.brink/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', '.tools/**', '.brink/**'],
          globalSetup: ['test/global-stack.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
