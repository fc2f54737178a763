import { integrationTests } from '../../vitest.base.mjs';

// Real Redis, real sockets and child processes.
export default integrationTests(30_000);
