// A mixed fleet on one Redis: a Switchyard node (@switchyard/redis) and a socket.io 4.8 node
// (@socket.io/redis-adapter's createAdapter) under the same key. Broadcasts (rooms, binary, acks),
// room operations, fetchSockets and serverSideEmit go both ways; the Switchyard node's clients are of
// every generation.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { afterEach, describe, it } from 'vitest';
import { nextEvent, until } from './cluster-harness.js';
import { type AnyClient, bytesOf, connectAny } from './generation-clients.js';
import { listen, mixedFleet } from './fleet-nodes.js';
import { redisAnswers, uniqueKey } from './redis-env.js';

describe.skipIf(!redisAnswers)('a Switchyard node and a socket.io 4.8 node share one Redis', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('broadcasts, rooms, acks, socketsJoin/Leave, disconnectSockets, fetchSockets and serverSideEmit, both ways', async () => {
    const key = uniqueKey('mixed');
    const fleet = await mixedFleet(key);
    const { sio, sioUrl } = fleet;
    cleanups.push(() => fleet.close());
    // The Switchyard node.
    const syHttp = createServer();
    const sy = new Server(syHttp, { adapter: fleet.cluster.adapter });
    cleanups.push(() => sy.close());
    for (const io of [sio, sy] as const) {
      (io as Server).on('connection', (socket) => {
        socket.on('join', (room: string, ack: (id: string) => void) => {
          void socket.join(room);
          ack(socket.id);
        });
      });
    }
    const syUrl = await listen(syHttp);

    const onSio = await connectAny(sioUrl, { generation: '4.x', transport: 'websocket' });
    const onSy: AnyClient[] = [];
    for (const generation of ['4.x', '2.x', '0.9'] as const) onSy.push(await connectAny(syUrl, { generation, transport: 'websocket' }));
    const everyClient = [onSio, ...onSy];
    cleanups.push(() => everyClient.forEach((client) => client.close()));
    for (const client of everyClient) client.on('ask', (ack: (answer: string) => void) => ack(client.name));
    const names = everyClient.map((client) => client.name).sort();
    const ids = await Promise.all(everyClient.map((client) => client.ack('join', 'blue')));
    await until(async () => (await sy.of('/').adapter.serverCount()) === 2 && (await sio.of('/').adapter.serverCount()) === 2, 'two nodes on the request channel');

    // socket.io → Switchyard: everyone, binary included; then one room.
    let got = everyClient.map((client) => nextEvent<unknown[]>(client, 'from-sio'));
    sio.emit('from-sio', 'hi', Buffer.from([7, 8]));
    for (const [i, args] of (await Promise.all(got)).entries()) {
      strictEqual(args[0], 'hi', everyClient[i]!.name);
      deepStrictEqual(bytesOf(args[1]), [7, 8], everyClient[i]!.name);
    }
    got = everyClient.map((client) => nextEvent<unknown[]>(client, 'blue'));
    sio.to('blue').emit('blue', 1);
    deepStrictEqual(await Promise.all(got), everyClient.map(() => [1]));

    // Switchyard → socket.io: one room, except one socket of the other node.
    got = [nextEvent<unknown[]>(onSy[0]!, 'from-sy')];
    const missed: unknown[] = [];
    onSio.on('from-sy', (value: unknown) => missed.push(value));
    sy.to('blue').except(ids[0] as string).emit('from-sy', 2);
    deepStrictEqual(await Promise.all(got), [[2]]);
    got = [nextEvent<unknown[]>(onSio, 'from-sy')];
    sy.emit('from-sy', 3);
    deepStrictEqual(await Promise.all(got), [[3]]);
    deepStrictEqual(missed, [3]);

    // Broadcasts with acks gather the answers of both nodes' clients.
    const fromSy = (await sy.timeout(5000).emitWithAck('ask')) as unknown as string[];
    deepStrictEqual([...fromSy].sort(), names);
    const fromSio = await sio.timeout(5000).emitWithAck('ask');
    deepStrictEqual([...fromSio].sort(), names);

    // fetchSockets, both ways.
    deepStrictEqual((await sy.in('blue').fetchSockets()).map((s) => s.id).sort(), [...(ids as string[])].sort());
    deepStrictEqual((await sio.in('blue').fetchSockets()).map((s) => s.id).sort(), [...(ids as string[])].sort());

    // Room operations, both ways.
    sy.socketsJoin('green');
    await until(async () => (await sio.in('green').local.fetchSockets()).length === 1, 'socketsJoin from Switchyard');
    sio.socketsJoin('red');
    await until(() => sy.of('/').adapter.rooms.get('red')?.size === 3, 'socketsJoin from socket.io');
    sio.in('red').socketsLeave('red');
    await until(() => sy.of('/').adapter.rooms.get('red') === undefined, 'socketsLeave from socket.io');

    // serverSideEmit, with and without acks, both ways.
    const heardBySio = new Promise<unknown[]>((resolve) => sio.on('sy-says', (...args: unknown[]) => resolve(args)));
    sy.serverSideEmit('sy-says', 'hello');
    deepStrictEqual(await heardBySio, ['hello']);
    const heardBySy = new Promise<unknown[]>((resolve) => sy.on('sio-says', (...args: unknown[]) => resolve(args)));
    sio.serverSideEmit('sio-says', 'hi');
    deepStrictEqual(await heardBySy, ['hi']);
    sio.on('count', (ack: (n: number) => void) => ack(sio.of('/').sockets.size));
    sy.on('count', (ack: (n: number) => void) => ack(sy.of('/').sockets.size));
    deepStrictEqual(await sy.serverSideEmitWithAck('count'), [1]);
    deepStrictEqual(await sio.serverSideEmitWithAck('count'), [3]);

    // disconnectSockets from Switchyard reaches the socket.io node's client.
    const gone = nextEvent(onSio, 'disconnect');
    sy.in(ids[0] as string).disconnectSockets();
    await gone;
  });
});
