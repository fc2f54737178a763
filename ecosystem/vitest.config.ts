import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real services, several node processes per test, on a 2-core machine: one file at a time.
    fileParallelism: false,
  },
});
