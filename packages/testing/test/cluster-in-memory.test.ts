import { afterEach, beforeEach, describe, it } from 'vitest';
import { InMemoryCluster } from '@switchyard/core';
import { runClusterConformance } from '../src/index.js';

runClusterConformance(
  { describe, it: (name, fn) => it(name, fn, 20_000), beforeEach, afterEach },
  {
    name: 'in-memory cluster (3 Server instances in one process)',
    createCluster: async () => ({ adapter: new InMemoryCluster({ heartbeatInterval: 200 }).adapter }),
  },
);
