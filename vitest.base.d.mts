import type { UserConfig } from 'vitest/config';

/** Integration-test settings with `timeout` ms for each test and hook, one file at a time. */
export function integrationTests(timeout: number): UserConfig;
