// The socket.io adapters under test, each built as its README says, over the services these machines run:
// Redis at REDIS_URL, PostgreSQL at PG_URL. `make(key)` gives a fresh adapter on channels (or a stream)
// named after `key`, and a `close` that releases every client it opened.
import { createAdapter as clusterAdapter, setupPrimary as setupClusterPrimary } from '@socket.io/cluster-adapter';
import { createAdapter as redisAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as streamsAdapter } from '@socket.io/redis-streams-adapter';
import { createAdapter as postgresAdapter } from '@socket.io/postgres-adapter';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createClient as createClientV5 } from 'redis';
import { createClient as createClientV4 } from 'redis-v4';

// For the node:cluster bench (bench/servers/cluster-adapter-node.mjs), which resolves its modules from bench/.
export { clusterAdapter, setupClusterPrimary };

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const ioredisPair = () => {
  const pub = new Redis(REDIS_URL);
  return [pub, pub.duplicate()];
};

const nodeRedisPair = (createClient) => async () => {
  const pub = createClient({ url: REDIS_URL });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  return [pub, sub];
};

/**
 * Ends an ioredis or node-redis (4 or 5) client. node-redis's abrupt ends (`destroy` in 5, `disconnect` in 4)
 * reject the commands still waiting for a reply, an adapter's own, which nobody catches at shutdown; so
 * node-redis closes gracefully (`close` in 5, `quit` in 4): the replies come first, then the connection ends.
 */
const end = async (client) => {
  if (client.isOpen === undefined) return void client.disconnect(); // ioredis
  const graceful = typeof client.close === 'function' ? () => client.close() : () => client.quit();
  await graceful().catch(() => (typeof client.destroy === 'function' ? client.destroy() : client.disconnect()));
};

const clients = {
  ioredis: async () => ioredisPair(),
  'node-redis-4': nodeRedisPair(createClientV4),
  'node-redis-5': nodeRedisPair(createClientV5),
};

const pubSub = (create) =>
  Object.fromEntries(
    Object.entries(clients).map(([name, pair]) => [
      name,
      async (key) => {
        const opened = await pair();
        return { adapter: create(opened, key), close: async () => void (await Promise.all(opened.map(end))) };
      },
    ]),
  );

const classic = pubSub(([pub, sub], key) => redisAdapter(pub, sub, { key }));
const sharded = pubSub(([pub, sub], key) => createShardedAdapter(pub, sub, { channelPrefix: key }));

const streams = Object.fromEntries(
  Object.entries(clients).map(([name, pair]) => [
    name,
    async (key) => {
      const [client, spare] = await pair();
      await end(spare);
      // The adapter opens (and closes) its own duplicate for the blocking reads.
      return { adapter: streamsAdapter(client, { streamName: key, sessionKeyPrefix: `${key}:session:` }), close: () => end(client) };
    },
  ]),
);

export const ATTACHMENTS_TABLE = 'socket_io_attachments';

/** Every adapter by name: `redis/<client>`, `redis-sharded/<client>`, `redis-streams/<client>`, `postgres`. */
export const adapters = {
  ...Object.fromEntries(Object.entries(classic).map(([name, make]) => [`redis/${name}`, make])),
  ...Object.fromEntries(Object.entries(sharded).map(([name, make]) => [`redis-sharded/${name}`, make])),
  ...Object.fromEntries(Object.entries(streams).map(([name, make]) => [`redis-streams/${name}`, make])),
  postgres: async (key) => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
    return { adapter: postgresAdapter(pool, { channelPrefix: key, tableName: ATTACHMENTS_TABLE }), close: () => pool.end() };
  },
};
