// Three Switchyard processes on three ports form one server over a real Redis; socket.io-client@4
// clients (websocket and polling) are spread over them. Every cross-node behaviour is checked here.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { client, killRunningNodes, type ClientOptions, type NodeProcess, nextEvent, record, sleep, startNodes, stopNode, until } from './cluster-harness.js';
import { redisAnswers, uniqueKey } from './redis-env.js';

const TRANSPORTS: ClientOptions[] = [{ transports: ['websocket'] }, { transports: ['polling'] }, {}];

describe.skipIf(!redisAnswers)('three processes over Redis', () => {
  let nodes: NodeProcess[] = [];
  let open: ClientSocket[] = [];

  beforeAll(async () => {
    nodes = await startNodes({ count: 3, key: uniqueKey('multi') });
  });
  afterAll(async () => {
    await Promise.all(nodes.map(stopNode));
    await killRunningNodes();
  });
  afterEach(() => {
    for (const socket of open) socket.disconnect();
    open = [];
  });

  /** One client per node; node i's client uses the i-th transport mix. */
  async function spread(path = '/'): Promise<ClientSocket[]> {
    const sockets = await Promise.all(nodes.map((node, i) => client(node.url + path, TRANSPORTS[i % TRANSPORTS.length])));
    open.push(...sockets);
    return sockets;
  }

  it('a broadcast from one node reaches the clients of every node, binary included', async () => {
    const sockets = await spread();
    const got = Promise.all(sockets.map((s) => nextEvent<[string, Buffer]>(s, 'news')));
    sockets[1]!.emit('broadcast', {}, 'news', 'hi', Buffer.from([1, 2, 255]));
    const received = await got;
    for (const [text, bytes] of received) {
      strictEqual(text, 'hi');
      deepStrictEqual([...new Uint8Array(bytes)], [1, 2, 255]);
    }
  });

  it('rooms and except reach across nodes', async () => {
    const sockets = await spread();
    strictEqual(await sockets[0]!.emitWithAck('join', 'blue'), 0);
    strictEqual(await sockets[2]!.emitWithAck('join', 'blue'), 2);
    strictEqual(await sockets[2]!.emitWithAck('join', 'muted'), 2);
    const seen = sockets.map((s) => record(s, 'tint'));
    sockets[1]!.emit('broadcast', { to: 'blue', except: 'muted' }, 'tint', 'blue');
    await until(() => seen[0]!.length === 1, 'the blue client on node 0');
    await sleep(200);
    deepStrictEqual(seen.map((s) => s.length), [1, 0, 0]);
  });

  it('a broadcast with acks gathers the answers of every node within the timeout', async () => {
    const sockets = await spread();
    sockets.forEach((s, i) => s.on('question', (reply: (n: number) => void) => reply(i * 10)));
    const answer = (await sockets[2]!.emitWithAck('ask-all', 3000)) as { answers: number[] };
    deepStrictEqual([...answer.answers].sort((a, b) => a - b), [0, 10, 20]);
  });

  it('a broadcast with acks fails once the timeout passes with a client on another node silent', async () => {
    const sockets = await spread();
    sockets.forEach((s, i) => {
      if (i !== 1) s.on('question', (reply: (n: number) => void) => reply(i));
    });
    const answer = (await sockets[0]!.emitWithAck('ask-all', 500)) as { error?: string };
    ok(answer.error !== undefined, 'the broadcast must time out');
  });

  it('fetchSockets sees every node, with data and rooms', async () => {
    const sockets = await spread();
    await sockets[1]!.emitWithAck('join', 'red');
    const all = (await sockets[0]!.emitWithAck('fetch', null)) as { sockets: { id: string; data: { node: number }; rooms: string[] }[] };
    deepStrictEqual(all.sockets.map((s) => s.data.node).sort(), [0, 1, 2]);
    const red = (await sockets[2]!.emitWithAck('fetch', 'red')) as { sockets: { id: string; rooms: string[] }[] };
    strictEqual(red.sockets.length, 1);
    strictEqual(red.sockets[0]!.id, sockets[1]!.id);
    ok(red.sockets[0]!.rooms.includes('red'));
  });

  it('socketsJoin and socketsLeave reach across nodes', async () => {
    const sockets = await spread();
    sockets[0]!.emit('sockets-join', 'green');
    const count = async (): Promise<number> => ((await sockets[1]!.emitWithAck('fetch', 'green')) as { sockets: unknown[] }).sockets.length;
    await until(async () => (await count()) === 3, 'everyone in green');
    sockets[2]!.emit('sockets-leave', 'green');
    await until(async () => (await count()) === 0, 'green to empty');
  });

  it('disconnectSockets reaches across nodes', async () => {
    const sockets = await spread();
    const gone = nextEvent<[string]>(sockets[2]!, 'disconnect');
    sockets[0]!.emit('kick', sockets[2]!.id);
    strictEqual((await gone)[0], 'io server disconnect');
    strictEqual(sockets[1]!.connected, true);
  });

  it('serverSideEmit reaches the other processes, and serverSideEmitWithAck gathers their answers', async () => {
    const sockets = await spread();
    const heard = sockets.map((s) => record(s, 'heard'));
    sockets[0]!.emit('server-emit', 42);
    await until(() => heard[1]!.length === 1 && heard[2]!.length === 1, 'nodes 1 and 2');
    await sleep(200);
    strictEqual(heard[0]!.length, 0);
    deepStrictEqual(heard[2]![0], [{ from: 0, value: 42, at: 2 }]);
    const answer = (await sockets[1]!.emitWithAck('server-ask')) as { answers: number[] };
    deepStrictEqual([...answer.answers].sort(), [0, 2]);
  });

  it("class namespaces: emitToRoom and broadcastEvent reach other nodes' sockets", async () => {
    const sockets = await spread('/chat');
    strictEqual(await sockets[0]!.emitWithAck('enter', 'lobby'), 0);
    strictEqual(await sockets[2]!.emitWithAck('enter', 'lobby'), 2);
    const said = sockets.map((s) => record(s, 'said'));
    sockets[2]!.emit('say', 'lobby', 'hello');
    await until(() => said[0]!.length === 1, 'the lobby on node 0');
    await sleep(200);
    // gevent-socketio's emit_to_room skips the sender.
    deepStrictEqual(said, [[['hello', 2]], [], []]);
    const shouted = Promise.all(sockets.map((s) => nextEvent<[string, number]>(s, 'shouted')));
    sockets[1]!.emit('shout', 'all');
    deepStrictEqual(await shouted, [['all', 1], ['all', 1], ['all', 1]]);
  });

  it('one encode per node: many clients of one node all get the same broadcast from another node', async () => {
    const many = await Promise.all(Array.from({ length: 30 }, (_, i) => client(nodes[i % 3]!.url, { transports: ['websocket'] })));
    open.push(...many);
    const got = Promise.all(many.map((s) => nextEvent<[number]>(s, 'burst')));
    many[0]!.emit('broadcast', {}, 'burst', 7);
    deepStrictEqual(await got, many.map(() => [7]));
  });
});
