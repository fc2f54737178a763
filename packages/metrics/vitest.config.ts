import { integrationTests } from '../../vitest.base.mjs';

// Real sockets and clients of three generations.
export default integrationTests(30_000);
