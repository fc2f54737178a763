// Each Redis client library the package accepts, as a test makes and closes one: ioredis 6 and 5
// (`ioredis-v5`), node-redis 5 (`redis`) and 4 (`redis-v4`).
import { Redis as IoRedis6 } from 'ioredis';
import { Redis as IoRedis5 } from 'ioredis-v5';
import { createClient as createClient5 } from 'redis';
import { createClient as createClient4 } from 'redis-v4';
import type { RedisClient } from '../src/index.js';
import { REDIS_URL } from './redis-env.js';

export interface TestRedisClient {
  client: RedisClient;
  close(): Promise<void>;
}

export interface RedisLibrary {
  name: string;
  connect(): Promise<TestRedisClient>;
}

export const REDIS_LIBRARIES: readonly RedisLibrary[] = [
  { name: 'ioredis 6', connect: () => ioredis(new IoRedis6(REDIS_URL)) },
  { name: 'ioredis 5', connect: () => ioredis(new IoRedis5(REDIS_URL)) },
  {
    name: 'redis 5',
    async connect() {
      const client = createClient5({ url: REDIS_URL });
      client.on('error', () => {});
      await client.connect();
      return { client, close: async () => void client.destroy() };
    },
  },
  {
    name: 'redis 4',
    async connect() {
      const client = createClient4({ url: REDIS_URL });
      client.on('error', () => {});
      await client.connect();
      return { client, close: () => client.disconnect() };
    },
  },
];

async function ioredis(client: IoRedis6 | IoRedis5): Promise<TestRedisClient> {
  client.on('error', () => {});
  return { client, close: async () => client.disconnect() };
}
