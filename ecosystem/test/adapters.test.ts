// socket.io's own adapters, each in its own node processes over the real service, through the cluster
// conformance suite: every client generation on every node, then one generation per node.
import { runClusterConformance } from '@switchyard/testing';
import { afterAll, afterEach, beforeEach, describe, it } from 'vitest';
import { startFleet } from './fleet.js';
import { dropRedisKeys, postgresUp, redisUp, uniqueKey } from './services.js';

const REDIS_CLIENTS = ['ioredis', 'node-redis-4', 'node-redis-5'];
const cases = [
  ...REDIS_CLIENTS.map((client) => ({ adapter: `redis/${client}`, up: redisUp })),
  ...REDIS_CLIENTS.map((client) => ({ adapter: `redis-sharded/${client}`, up: redisUp })),
  ...REDIS_CLIENTS.map((client) => ({ adapter: `redis-streams/${client}`, up: redisUp })),
  { adapter: 'postgres', up: postgresUp },
];
const only = process.env.ECOSYSTEM_ADAPTERS?.split(',');

for (const { adapter, up } of cases.filter((c) => only === undefined || only.includes(c.adapter))) {
  describe.skipIf(!up)(adapter, () => {
    const prefix = uniqueKey(adapter.replace(/\W/g, '-'));
    let run = 0;
    afterAll(() => (up ? dropRedisKeys(`${prefix}*`) : undefined));
    runClusterConformance(
      { describe, it, beforeEach, afterEach, afterAll },
      { name: `${adapter}, one process per node`, startNodes: (count) => startFleet(count, { adapter, key: `${prefix}-${run++}` }) },
    );
  });
}
