// @socket.io/redis-emitter, as a worker or a cron job uses it, reaches the sockets of every client
// generation on a Switchyard node: broadcasts (rooms, except, binary), room operations and
// serverSideEmit. Once per Redis client library the node may use. And the documented limit: the
// emitter's broadcasts are not in the connection state recovery log.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Emitter } from '@socket.io/redis-emitter';
import { Server } from '@switchyard/core';
import type { Redis } from 'ioredis';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, it } from 'vitest';
import { RedisCluster } from '../src/index.js';
import { nextEvent, until } from './cluster-harness.js';
import { type AnyClient, bytesOf, connectAny, type Generation } from './generation-clients.js';
import { inProcessNode } from './in-process-node.js';
import { REDIS_LIBRARIES, type TestRedisClient } from './redis-clients.js';
import { newClient, redisAnswers, uniqueKey } from './redis-env.js';

const GENERATIONS: readonly Generation[] = ['4.x', '2.x', '0.9'];

describe.skipIf(!redisAnswers)('@socket.io/redis-emitter reaches Switchyard sockets', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  for (const library of REDIS_LIBRARIES) {
    it(`with ${library.name} on the node: broadcasts, rooms, binary, socketsJoin and serverSideEmit, to 4.x, 2.x and 0.9`, async () => {
      const key = uniqueKey('emitter');
      const redis: TestRedisClient = await library.connect();
      cleanups.push(() => redis.close());
      const cluster = new RedisCluster({ client: redis.client, key });
      const http = createServer();
      const io = new Server(http, { adapter: cluster.adapter });
      const serverSide: unknown[][] = [];
      io.on('from-worker', (...args: unknown[]) => serverSide.push(args));
      io.on('connection', (socket) => {
        socket.on('join', (rooms: string[], ack: (id: string) => void) => {
          socket.join(rooms);
          ack(socket.id);
        });
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      cleanups.push(async () => {
        await io.close();
        await cluster.close();
      });
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

      const clients: AnyClient[] = [];
      for (const generation of GENERATIONS) clients.push(await connectAny(url, { generation, transport: 'websocket' }));
      cleanups.push(() => clients.forEach((client) => client.close()));
      const ids: string[] = [];
      for (const [i, client] of clients.entries()) ids.push((await client.ack('join', i < 2 ? ['blue'] : [])) as string);
      await until(async () => (await io.of('/').adapter.serverCount()) === 1, 'the node subscribed');

      const publisher: Redis = newClient();
      cleanups.push(() => publisher.disconnect());
      const emitter = new Emitter(publisher, { key });

      // Everyone, binary included.
      const everyone = clients.map((client) => nextEvent<unknown[]>(client, 'news'));
      emitter.emit('news', 'hello', Buffer.from([1, 2, 250]));
      for (const [i, got] of (await Promise.all(everyone)).entries()) {
        strictEqual(got[0], 'hello', clients[i]!.name);
        deepStrictEqual(bytesOf(got[1]), [1, 2, 250], clients[i]!.name);
      }

      // One room (its own channel), minus a socket's own room.
      const inBlue = [nextEvent<[number]>(clients[0]!, 'blue'), nextEvent<[number]>(clients[1]!, 'blue')];
      const notBlue: unknown[] = [];
      clients[2]!.on('blue', (value: unknown) => notBlue.push(value));
      emitter.to('blue').emit('blue', 1);
      deepStrictEqual(await Promise.all(inBlue), [[1], [1]]);
      const firstMissed: unknown[] = [];
      clients[0]!.on('blue', (value: unknown) => firstMissed.push(value));
      const exceptFirst = nextEvent<[number]>(clients[1]!, 'blue');
      emitter.to('blue').except(ids[0]!).emit('blue', 2);
      deepStrictEqual(await exceptFirst, [2]);

      // Room operations: the 0.9 socket joins blue from the worker.
      const zeroNine = ids[2]!;
      emitter.in(zeroNine).socketsJoin('blue');
      await until(() => io.of('/').sockets.get(zeroNine)!.rooms.has('blue'), 'socketsJoin from the worker');
      const third = nextEvent<[number]>(clients[2]!, 'blue');
      emitter.to('blue').emit('blue', 3);
      deepStrictEqual(await third, [3]);
      deepStrictEqual(notBlue, [3]);
      deepStrictEqual(firstMissed, [3]);

      emitter.serverSideEmit('from-worker', { job: 7 });
      await until(() => serverSide.length === 1, 'serverSideEmit from the worker');
      deepStrictEqual(serverSide, [[{ job: 7 }]]);
    });
  }

  // The limit packages/redis/README.md and docs/scaling.md state: the recovery log holds the broadcasts
  // Switchyard nodes make, not those of the emitter (nor of socket.io nodes), which carry no offset.
  it('connection state recovery replays what a Switchyard node broadcast while the client was away, not what the emitter did', async () => {
    const key = uniqueKey('emitter-recovery');
    const node = await inProcessNode(key, newClient(), { server: { pingInterval: 5000, pingTimeout: 5000, connectionStateRecovery: { maxDisconnectionDuration: 30_000 } } });
    cleanups.push(() => node.close());
    const { io } = node;
    const url = `http://127.0.0.1:${node.port}`;
    const options = { forceNew: true, transports: ['websocket'], reconnection: false };
    const away = connect(url, options);
    const witness = connect(url, options);
    cleanups.push(() => void away.disconnect(), () => void witness.disconnect());
    const seen: string[] = [];
    const witnessed: string[] = [];
    away.on('news', (text: string) => seen.push(text));
    witness.on('news', (text: string) => witnessed.push(text));
    await Promise.all([nextEvent(away, 'connect'), nextEvent(witness, 'connect')]);
    io.emit('news', 'before');
    await until(() => seen.length === 1 && witnessed.length === 1, 'the first broadcast');

    const publisher: Redis = newClient();
    cleanups.push(() => publisher.disconnect());
    away.io.engine.close();
    // Its session is kept in Redis once the node saw it go.
    await until(async () => (await publisher.keys(`${key}-switchyard#/#:session:*`)).length === 1, 'the session kept for recovery');
    new Emitter(publisher, { key }).emit('news', 'from the emitter');
    io.emit('news', 'from Switchyard');
    await until(() => witnessed.length === 3, 'both broadcasts, seen by the client that stayed');
    deepStrictEqual(new Set(witnessed.slice(1)), new Set(['from the emitter', 'from Switchyard']));

    away.connect();
    await nextEvent(away, 'connect');
    ok(away.recovered, 'the session was recovered');
    io.emit('news', 'after');
    await until(() => seen.includes('after'), 'the broadcast after the recovery');
    deepStrictEqual(seen, ['before', 'from Switchyard', 'after']);
  });
});
