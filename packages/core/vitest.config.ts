import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
    // Integration tests bind real sockets and watch real heartbeats: keep files apart on a 2-core machine.
    fileParallelism: false,
  },
});
