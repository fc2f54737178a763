// The test settings the packages with integration tests share: unit tests beside the source and
// integration tests under test/, with room for real sockets, services and child processes, one file at a
// time on a 2-core machine.
import { defineConfig } from 'vitest/config';

/** @param {number} timeout each test's and each hook's budget, in ms */
export function integrationTests(timeout) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: timeout,
      hookTimeout: timeout,
      fileParallelism: false,
    },
  });
}
