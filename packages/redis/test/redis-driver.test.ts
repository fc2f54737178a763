// The client handed to RedisCluster: anything but an ioredis or node-redis client is refused with a
// clear error at construction, as is a subscriber of the other library.
import { throws } from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { describe, it } from 'vitest';
import { RedisCluster } from '../src/index.js';

describe('RedisCluster clients', () => {
  it('refuses what is not an ioredis or node-redis client', () => {
    for (const client of [{}, null, 'redis://127.0.0.1:6379']) {
      throws(() => new RedisCluster({ client: client as never }), { name: 'TypeError', message: /ioredis .*node-redis/ });
    }
  });

  it('refuses a subscriber of the other library', () => {
    const client = new Redis({ lazyConnect: true });
    const subClient = createClient();
    throws(() => new RedisCluster({ client, subClient }), { name: 'TypeError', message: /same library/ });
    client.disconnect();
  });
});
