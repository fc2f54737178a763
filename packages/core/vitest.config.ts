import { integrationTests } from '../../vitest.base.mjs';

// Integration tests bind real sockets and watch real heartbeats.
export default integrationTests(15_000);
