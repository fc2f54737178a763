// The Server's logger hears from @switchyard/redis: a lost Redis connection (warn) and its return (info),
// with ioredis and node-redis.
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '@switchyard/core';
import { type InProcessNode, inProcessNode } from './in-process-node.js';
import { redisAnswers, uniqueKey } from './redis-env.js';
import { type OwnRedis, startOwnRedis } from './redis-server.js';
import { until } from './cluster-harness.js';

interface Entry {
  level: keyof Logger;
  fields: LogFields;
  message: string;
}

function recordingLogger(): Logger & { entries: Entry[] } {
  const entries: Entry[] = [];
  const record = (level: keyof Logger) => (fields: LogFields, message: string) => void entries.push({ level, fields, message });
  return { entries, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

describe.skipIf(!redisAnswers)('the Server logger, from @switchyard/redis', () => {
  let redis: OwnRedis | undefined;
  let node: InProcessNode | undefined;

  afterEach(async () => {
    await node?.close();
    node = undefined;
    await redis?.stop();
    redis = undefined;
  });

  const drivers = {
    ioredis: async (url: string) => {
      const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      client.on('error', () => {});
      return client;
    },
    'node-redis': async (url: string) => {
      const client = createClient({ url, socket: { reconnectStrategy: () => 100 } });
      client.on('error', () => {});
      return client.connect();
    },
  };

  it.each(Object.keys(drivers) as (keyof typeof drivers)[])('%s: Redis going away is one warn, its return one info', async (driver) => {
    redis = await startOwnRedis();
    const logger = recordingLogger();
    const key = uniqueKey('logger');
    const client = await drivers[driver](redis.url);
    node = await inProcessNode(key, client as unknown as Redis, { server: { logger } });
    expect(logger.entries).toEqual([]);

    await redis.kill();
    await until(() => logger.entries.some((entry) => entry.level === 'warn'), 'the warning', 10_000);
    await redis.start();
    await until(() => logger.entries.some((entry) => entry.level === 'info'), 'the reconnection', 15_000);
    expect(logger.entries).toEqual([
      { level: 'warn', message: 'lost the connection to Redis: reconnecting', fields: { key } },
      { level: 'info', message: 'reconnected to Redis', fields: { key } },
    ]);
  }, 40_000);
});
