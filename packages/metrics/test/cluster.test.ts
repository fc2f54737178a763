// The cluster figures of @switchyard/redis, read from RedisCluster.stats: two nodes on the local Redis,
// a broadcast from one reaching a client of the other, and a poll for a session of one node sent to the
// other, which forwards it. Skipped without Redis, except under CI=true.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@switchyard/core';
import { RedisCluster } from '@switchyard/redis';
import { REDIS_URL, redisAnswers, requireService, socketIoClientV4, until, type GenerationClient } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { instrument, type Instrumentation, metricsHandler } from '../src/index.js';
import { sample, scrape } from './scrape.js';

const available = requireService('Redis', `${REDIS_URL} (set REDIS_URL)`, await redisAnswers(REDIS_URL));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Node {
  io: Server;
  url: string;
  metrics: Instrumentation;
}

async function node(key: string): Promise<Node> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  redis.on('error', () => {});
  const cluster = new RedisCluster({ client: redis, key });
  const http = createServer();
  const io = new Server(http, { adapter: cluster.adapter, router: cluster.router });
  const metrics = instrument(io, { cluster });
  const serve = metricsHandler(metrics.registry);
  http.on('request', (req, res) => {
    if (req.url === '/metrics') serve(req, res);
  });
  await cluster.ready();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    metrics.close();
    await io.close();
    await cluster.close();
    redis.disconnect();
  });
  return { io, metrics, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

it.skipIf(!available)('counts Redis publishes and receptions, and requests forwarded to the node owning their session', async () => {
  const key = `sy-test:metrics:${randomBytes(6).toString('hex')}`;
  const [a, b] = [await node(key), await node(key)];

  const client: GenerationClient = await socketIoClientV4.connect({ url: b.url, path: '/socket.io', transports: ['websocket'] });
  cleanups.push(() => client.close());
  const heard = new Promise<unknown>((resolve) => client.on('news', ((value: unknown) => resolve(value)) as never));
  a.io.emit('news', 'from a');
  expect(await heard).toBe('from a');

  // A session opened on a, polled through b: b forwards the poll to a over Redis.
  const handshake = await (await fetch(`${a.url}/socket.io/?EIO=4&transport=polling`)).text();
  const sid = (JSON.parse(handshake.slice(1)) as { sid: string }).sid;
  await fetch(`${b.url}/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`, { method: 'POST', body: '1' });

  let onA = new Map<string, number>();
  let onB = new Map<string, number>();
  await until(async () => {
    [onA, onB] = [await scrape(`${a.url}/metrics`), await scrape(`${b.url}/metrics`)];
    return sample(onB, 'switchyard_cluster_requests_forwarded_total') === 1 && sample(onA, 'switchyard_cluster_requests_served_total') === 1;
  }, 'a poll forwarded from b and served by a');
  expect(sample(onA, 'switchyard_cluster_messages_published_total')).toBeGreaterThanOrEqual(1);
  expect(sample(onB, 'switchyard_cluster_messages_received_total')).toBeGreaterThanOrEqual(1);
  expect(sample(onA, 'switchyard_cluster_requests_forwarded_total')).toBe(0);
  expect(sample(onB, 'switchyard_cluster_tunnels')).toBe(0);
});
