import { ioredisDriver, type IoRedisLike, isIoRedis } from './ioredis-driver.js';
import { isNodeRedis, nodeRedisDriver, type NodeRedisLike } from './node-redis-driver.js';
import type { RedisDriver } from './redis-driver.js';

/**
 * A Redis connection as the user made it: an ioredis `Redis` or `Cluster` (ioredis 5 or 6), or a
 * node-redis client (`createClient()` of `redis` 4 or 5, connected). Described by what is used of it, so
 * neither library's types are needed to use the other.
 */
export type RedisClient = IoRedisLike | NodeRedisLike;

export const UNSUPPORTED_CLIENT =
  'RedisCluster needs a Redis client: an ioredis Redis or Cluster (ioredis 5 or 6), or a connected node-redis client (redis 4 or 5)';

/** The driver for a client of either library; a clear TypeError for anything else. */
export function driverFor(client: unknown): RedisDriver {
  if (isNodeRedis(client)) return nodeRedisDriver(client);
  if (isIoRedis(client)) return ioredisDriver(client);
  throw new TypeError(UNSUPPORTED_CLIENT);
}

/** The subscriber client must come from the same library as the main one. */
export function checkSameLibrary(client: unknown, subClient: unknown): void {
  if (subClient !== undefined && isNodeRedis(client) !== isNodeRedis(subClient)) {
    throw new TypeError('RedisCluster: client and subClient must come from the same library (both ioredis or both node-redis)');
  }
  if (subClient !== undefined && !isNodeRedis(subClient) && !isIoRedis(subClient)) throw new TypeError(UNSUPPORTED_CLIENT);
}
