export { RedisCluster, type RedisClusterEvents, type RedisClusterOptions, type RedisClusterStats } from './redis-cluster.js';
export { RedisRouter } from './redis-router.js';
export type { RedisClient } from './redis-client.js';
