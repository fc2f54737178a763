// Finding: state recovery through the cluster sometimes replayed a packet the client already had — the
// one in flight at the drop. The event is logged, the client drops before it arrives and comes back on
// a node that replays it from the log; the same event, still on its way through pub/sub, then reaches
// the restored socket a second time. Node B hears pub/sub late here (its subscriber goes through a
// proxy that holds Redis' replies), which makes that order certain.
import { deepStrictEqual, ok } from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@switchyard/core';
import { Redis } from 'ioredis';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, it } from 'vitest';
import { RedisCluster } from '../src/index.js';
import { nextEvent, until } from './cluster-harness.js';
import { startDelayProxy } from './delay-proxy.js';
import { newClient, REDIS_URL, redisAnswers, uniqueKey } from './redis-env.js';

const PUBSUB_DELAY = 1500;

describe.skipIf(!redisAnswers)('connection state recovery through the cluster', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function node(key: string, subUrl?: string): Promise<{ io: Server; url: string }> {
    const client = newClient();
    const subClient = subUrl === undefined ? undefined : new Redis(subUrl);
    subClient?.on('error', () => {});
    const cluster = new RedisCluster({ client, key, ...(subClient !== undefined && { subClient }) });
    const http = createServer();
    const io = new Server(http, { adapter: cluster.adapter, connectionStateRecovery: { maxDisconnectionDuration: 30_000 } });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      await io.close();
      await cluster.close();
      client.disconnect();
      subClient?.disconnect();
    });
    return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
  }

  it('is exactly-once: the event in flight at the drop is not delivered again after the replay', async () => {
    const key = uniqueKey('exactly-once');
    const proxy = await startDelayProxy(REDIS_URL, PUBSUB_DELAY);
    cleanups.push(() => proxy.close());
    const a = await node(key);
    const b = await node(key, proxy.url);
    await until(async () => (await a.io.of('/').adapter.serverCount()) === 2 && (await b.io.of('/').adapter.serverCount()) === 2, 'both nodes subscribed', 15_000);

    const socket: ClientSocket = connect(b.url, { forceNew: true, transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 200 });
    cleanups.push(() => void socket.disconnect());
    const seen: number[] = [];
    socket.on('news', (n: number) => seen.push(n));
    await nextEvent(socket, 'connect');
    a.io.emit('news', 1);
    await until(() => seen.length === 1, 'the first event', 10_000);

    // The connection drops; the next event is logged and on its way to B when the client comes back.
    socket.io.engine.close();
    a.io.emit('news', 2);
    await nextEvent(socket, 'connect', 10_000);
    ok(socket.recovered, 'the session was recovered');

    // Once a later event arrives (after the delayed copy of event 2 would have), nothing came twice.
    a.io.emit('news', 3);
    await until(() => seen.includes(3), 'the event after the recovery', 10_000);
    deepStrictEqual(seen, [1, 2, 3]);
  });
});
