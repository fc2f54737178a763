// A Redis Cluster of three masters of the test's own: the cluster conformance suite with an ioredis
// Cluster client, sharded pub/sub spread over the shards.
import { runClusterConformance } from '@switchyard/core/testing';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import { RedisCluster } from '../src/index.js';
import { redisAnswers, uniqueKey } from './redis-env.js';
import { type OwnRedisCluster, startOwnRedisCluster } from './redis-server.js';

describe.skipIf(!redisAnswers)('Redis Cluster', () => {
  let redisCluster: OwnRedisCluster | undefined;
  beforeAll(async () => {
    redisCluster = await startOwnRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await redisCluster?.stop();
  });

  runClusterConformance(
    { describe, it, beforeEach, afterEach },
    {
      name: 'cluster conformance on a Redis Cluster, sharded pub/sub',
      async createCluster() {
        const client = new Cluster(redisCluster!.ports.map((port) => ({ host: '127.0.0.1', port })), { shardedSubscribers: true });
        client.on('error', () => {});
        const cluster = new RedisCluster({ client, key: uniqueKey('redis-cluster') });
        return {
          adapter: cluster.adapter,
          async close() {
            if (!cluster.sharded) throw new Error('sharded pub/sub was expected on Redis 7');
            await cluster.close();
            client.disconnect();
          },
        };
      },
    },
  );
});
