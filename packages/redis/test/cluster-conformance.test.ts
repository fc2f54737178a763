// The cluster conformance suite from @switchyard/core, on a real Redis: every cross-node behaviour of
// the adapter, once with sharded pub/sub and once with classic pub/sub (on a subscriber connection of
// the caller's), and once on each node-redis major (redis 5 and 4).
import { runClusterConformance } from '@switchyard/testing';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { RedisCluster } from '../src/index.js';
import { REDIS_LIBRARIES } from './redis-clients.js';
import { newClient, redisAnswers, uniqueKey } from './redis-env.js';

for (const sharded of [true, false]) {
  describe.skipIf(!redisAnswers)(`Redis, ${sharded ? 'sharded' : 'classic'} pub/sub`, () => {
    runClusterConformance(
      { describe, it, beforeEach, afterEach },
      {
        name: 'cluster conformance',
        async createCluster() {
          const client = newClient();
          // Classic: the subscriber connection is the caller's, and stays theirs after close().
          const subClient = sharded ? undefined : newClient();
          const cluster = new RedisCluster({ client, ...(subClient !== undefined && { subClient }), key: uniqueKey('conformance'), sharded });
          return {
            adapter: cluster.adapter,
            async close() {
              if (cluster.sharded !== sharded) throw new Error(`expected ${sharded ? 'sharded' : 'classic'} pub/sub`);
              await cluster.close();
              if (subClient !== undefined && subClient.listenerCount('messageBuffer') !== 0) throw new Error('a listener was left on the subscriber');
              client.disconnect();
              subClient?.disconnect();
            },
          };
        },
      },
    );
  });
}

// The same suite with each node-redis major on the nodes (their subscriber is a duplicate made here).
for (const library of REDIS_LIBRARIES.filter(({ name }) => name.startsWith('redis'))) {
  describe.skipIf(!redisAnswers)(`Redis, ${library.name} clients`, () => {
    runClusterConformance(
      { describe, it, beforeEach, afterEach },
      {
        name: 'cluster conformance',
        async createCluster() {
          const redis = await library.connect();
          const cluster = new RedisCluster({ client: redis.client, key: uniqueKey('conformance-node-redis') });
          return {
            adapter: cluster.adapter,
            async close() {
              await cluster.close();
              await redis.close();
            },
          };
        },
      },
    );
  });
}
