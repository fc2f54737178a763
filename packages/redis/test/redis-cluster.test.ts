// A Redis Cluster of three masters of the test's own: the cluster conformance suite with an ioredis
// Cluster client, sharded pub/sub spread over the shards.
import { deepStrictEqual } from 'node:assert/strict';
import { runClusterConformance } from '@switchyard/testing';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import { RedisCluster } from '../src/index.js';
import { client, startLoadBalancer, until } from './cluster-harness.js';
import { inProcessNode } from './in-process-node.js';
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

  const clusterClient = (): Cluster => {
    const redis = new Cluster(redisCluster!.ports.map((port) => ({ host: '127.0.0.1', port })), { shardedSubscribers: true });
    redis.on('error', () => {});
    return redis;
  };

  it('no sticky sessions on a Redis Cluster: polling requests alternate between two nodes', async () => {
    const key = uniqueKey('redis-cluster-sticky');
    const nodes = [await inProcessNode(key, clusterClient()), await inProcessNode(key, clusterClient())];
    const balancer = await startLoadBalancer(nodes.map((n) => n.port));
    try {
      const polling = await client(balancer.url, { transports: ['polling'] });
      for (let i = 0; i < 6; i++) deepStrictEqual(await polling.emitWithAck('echo', i), i);
      const upgrading = await client(balancer.url, {});
      await until(() => upgrading.io.engine.transport.name === 'websocket', 'the upgrade');
      deepStrictEqual(await upgrading.emitWithAck('echo', 'tunnel'), 'tunnel');
      polling.disconnect();
      upgrading.disconnect();
    } finally {
      await balancer.close();
      for (const node of nodes) await node.close();
    }
  });

  runClusterConformance(
    { describe, it, beforeEach, afterEach },
    {
      name: 'cluster conformance on a Redis Cluster, sharded pub/sub',
      async createCluster() {
        const redis = clusterClient();
        const cluster = new RedisCluster({ client: redis, key: uniqueKey('redis-cluster') });
        return {
          adapter: cluster.adapter,
          async close() {
            if (!cluster.sharded) throw new Error('sharded pub/sub was expected on Redis 7');
            await cluster.close();
            redis.disconnect();
          },
        };
      },
    },
  );
});
