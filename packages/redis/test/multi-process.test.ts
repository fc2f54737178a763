// Three Switchyard processes on three ports form one server over a real Redis. Clients of every
// generation — socket.io-client 4.x and 2.5.0 on websocket, polling and polling→websocket, 0.9.16 on
// websocket and xhr-polling — are spread over them, and every cross-node behaviour is checked with all
// of them at once.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { type NodeProcess, nextEvent, record, sleep, startNodes, stopAll, until } from './cluster-harness.js';
import { type AnyClient, bytesOf, type ClientKind, connectAny } from './generation-clients.js';
import { redisAnswers, uniqueKey } from './redis-env.js';

/** Which client goes to which node: every node has each generation, every transport is somewhere. */
const SPREAD: ReadonlyArray<{ node: number; kind: ClientKind }> = [
  { node: 0, kind: { generation: '4.x', transport: 'websocket' } },
  { node: 0, kind: { generation: '2.x', transport: 'polling' } },
  { node: 0, kind: { generation: '0.9', transport: 'polling' } },
  { node: 1, kind: { generation: '4.x', transport: 'polling' } },
  { node: 1, kind: { generation: '2.x', transport: 'upgrade' } },
  { node: 1, kind: { generation: '0.9', transport: 'websocket' } },
  { node: 2, kind: { generation: '4.x', transport: 'upgrade' } },
  { node: 2, kind: { generation: '2.x', transport: 'websocket' } },
  { node: 2, kind: { generation: '0.9', transport: 'polling' } },
];
const ALL = SPREAD.map((_, i) => i);
/** Indexes into SPREAD, by generation. */
const V4 = [0, 3, 6];
const V2 = [1, 4, 7];
const V09 = [2, 5, 8];

describe.skipIf(!redisAnswers)('three processes over Redis, every client generation', () => {
  let nodes: NodeProcess[] = [];
  let open: AnyClient[] = [];

  beforeAll(async () => {
    nodes = await startNodes({ count: 3, key: uniqueKey('multi') });
  });
  afterAll(async () => {
    await stopAll(nodes);
  });
  afterEach(() => {
    for (const client of open) client.close();
    open = [];
  });

  async function connect(node: number, kind: ClientKind, path = '/'): Promise<AnyClient> {
    const client = await connectAny(nodes[node]!.url + path, kind);
    open.push(client);
    return client;
  }

  /** The clients of SPREAD, in its order. */
  async function spread(path = '/'): Promise<AnyClient[]> {
    return Promise.all(SPREAD.map(({ node, kind }) => connect(node, kind, path)));
  }

  /** Which of `clients` got `event`, once the expected ones have it and a little longer for any other. */
  async function receivers(clients: AnyClient[], seen: unknown[][][], expected: number[], what: string): Promise<number[]> {
    await until(() => expected.every((i) => seen[i]!.length > 0), what);
    await sleep(200);
    return clients.flatMap((_, i) => (seen[i]!.length > 0 ? [i] : []));
  }

  it('a broadcast from one node reaches the clients of every node, binary included', async () => {
    const clients = await spread();
    for (const sender of [V2[1]!, V09[0]!, V4[2]!]) {
      const got = Promise.all(clients.map((c) => nextEvent<[string, unknown]>(c, 'news')));
      clients[sender]!.emit('broadcast', {}, 'news', `from ${sender}`, Buffer.from([1, 2, 255]));
      for (const [i, [text, bytes]] of (await got).entries()) {
        strictEqual(text, `from ${sender}`, clients[i]!.name);
        // 0.9 has no binary type: it gets the Buffer's JSON form.
        deepStrictEqual(bytesOf(bytes), [1, 2, 255], clients[i]!.name);
      }
    }
  });

  it('rooms and except reach across nodes', async () => {
    const clients = await spread();
    const blue = [0, 2, 4, 5, 7, 8];
    const muted = [4, 8];
    for (const i of blue) strictEqual(await clients[i]!.ack('join', 'blue'), SPREAD[i]!.node);
    for (const i of muted) await clients[i]!.ack('join', 'muted');
    const seen = clients.map((c) => record(c, 'tint'));
    clients[3]!.emit('broadcast', { to: 'blue', except: 'muted' }, 'tint', 'blue');
    const expected = blue.filter((i) => !muted.includes(i));
    deepStrictEqual(await receivers(clients, seen, expected, 'blue, not muted'), expected);
  });

  it('a broadcast with acks gathers the answers of every client on every node within the timeout', async () => {
    const clients = await spread();
    clients.forEach((c, i) => c.on('question', (reply: (n: number) => void) => reply(i)));
    for (const asker of [V4[0]!, V2[2]!, V09[1]!]) {
      const answer = (await clients[asker]!.ack('ask-all', 3000)) as { answers: number[] };
      deepStrictEqual([...answer.answers].sort((a, b) => a - b), ALL, `asked by ${clients[asker]!.name}`);
    }
  });

  it('a broadcast with acks fails once the timeout passes with a 0.9 client on another node silent', async () => {
    const clients = await spread();
    const silent = V09[2]!;
    clients.forEach((c, i) => {
      if (i !== silent) c.on('question', (reply: (n: number) => void) => reply(i));
    });
    const answer = (await clients[V2[0]!]!.ack('ask-all', 500)) as { error?: string };
    ok(answer.error !== undefined, 'the broadcast must time out');
  });

  it('fetchSockets sees every node and generation, with data and rooms', async () => {
    const clients = await spread();
    const ids = (await Promise.all(clients.map((c) => c.ack('whoami')))) as string[];
    strictEqual(new Set(ids).size, clients.length);
    for (const i of [V09[1]!, V2[0]!]) await clients[i]!.ack('join', 'red');
    const all = (await clients[0]!.ack('fetch', null)) as { sockets: { id: string; data: { node: number }; rooms: string[] }[] };
    deepStrictEqual(all.sockets.map((s) => s.id).sort(), [...ids].sort());
    deepStrictEqual(all.sockets.map((s) => s.data.node).sort(), SPREAD.map((s) => s.node).sort());
    const red = (await clients[V09[2]!]!.ack('fetch', 'red')) as { sockets: { id: string; rooms: string[] }[] };
    deepStrictEqual(red.sockets.map((s) => s.id).sort(), [ids[V09[1]!]!, ids[V2[0]!]!].sort());
    ok(red.sockets.every((s) => s.rooms.includes('red')));
  });

  it('socketsJoin and socketsLeave reach every client across nodes', async () => {
    const clients = await spread();
    const count = async (): Promise<number> => ((await clients[4]!.ack('fetch', 'green')) as { sockets: unknown[] }).sockets.length;
    clients[V09[0]!]!.emit('sockets-join', 'green');
    await until(async () => (await count()) === clients.length, 'everyone in green');
    // And a broadcast to the room they were put in reaches them all.
    const got = Promise.all(clients.map((c) => nextEvent(c, 'greened')));
    clients[V2[2]!]!.emit('broadcast', { to: 'green' }, 'greened');
    await got;
    clients[V4[2]!]!.emit('sockets-leave', 'green');
    await until(async () => (await count()) === 0, 'green to empty');
  });

  it('disconnectSockets reaches clients of every generation on other nodes', async () => {
    const clients = await spread();
    const ids = (await Promise.all(clients.map((c) => c.ack('whoami')))) as string[];
    const kicked = [V09[2]!, V2[1]!, V4[1]!, V09[1]!];
    const gone = kicked.map((i) => nextEvent(clients[i]!, 'disconnect'));
    for (const i of kicked) clients[0]!.emit('kick', ids[i]);
    await Promise.all(gone);
    for (const [i, client] of clients.entries()) strictEqual(client.connected, !kicked.includes(i), client.name);
    // socket.io's reason for a server-side disconnect; 0.9 calls it "booted".
    const reasons = await Promise.all(
      [V2[0]!, V09[0]!].map(async (i) => {
        const reason = nextEvent<[string]>(clients[i]!, 'disconnect');
        clients[V4[2]!]!.emit('kick', ids[i]);
        return (await reason)[0];
      }),
    );
    deepStrictEqual(reasons, ['io server disconnect', 'booted']);
  });

  it('serverSideEmit reaches the other processes, and serverSideEmitWithAck gathers their answers', async () => {
    const clients = await spread();
    const heard = clients.map((c) => record(c, 'heard'));
    clients[V09[0]!]!.emit('server-emit', 42);
    const onOtherNodes = ALL.filter((i) => SPREAD[i]!.node !== 0);
    deepStrictEqual(await receivers(clients, heard, onOtherNodes, 'nodes 1 and 2'), onOtherNodes);
    deepStrictEqual(heard[V2[2]!]![0], [{ from: 0, value: 42, at: 2 }]);
    const answer = (await clients[V2[1]!]!.ack('server-ask')) as { answers: number[] };
    deepStrictEqual([...answer.answers].sort(), [0, 2]);
  });

  it("class namespaces: emitToRoom and broadcastEvent reach other nodes' sockets of every generation", async () => {
    const clients = await spread('/chat');
    const lobby = [0, 2, 5, 7, 8];
    for (const i of lobby) strictEqual(await clients[i]!.ack('enter', 'lobby'), SPREAD[i]!.node);
    const said = clients.map((c) => record(c, 'said'));
    const speaker = 8;
    clients[speaker]!.emit('say', 'lobby', 'hello');
    // gevent-socketio's emit_to_room skips the sender.
    const listeners = lobby.filter((i) => i !== speaker);
    deepStrictEqual(await receivers(clients, said, listeners, 'the lobby'), listeners);
    for (const i of listeners) deepStrictEqual(said[i], [['hello', 2]], clients[i]!.name);
    const shouted = Promise.all(clients.map((c) => nextEvent<[string, number]>(c, 'shouted')));
    clients[V2[1]!]!.emit('shout', 'all');
    deepStrictEqual(await shouted, clients.map(() => ['all', 1]));
  });

  it('one encode per node: many clients of every generation on one node all get the same broadcast from another', async () => {
    const many = await Promise.all(Array.from({ length: 30 }, (_, i) => connect(SPREAD[i % SPREAD.length]!.node, SPREAD[i % SPREAD.length]!.kind)));
    const got = Promise.all(many.map((c) => nextEvent<[number]>(c, 'burst')));
    many[0]!.emit('broadcast', {}, 'burst', 7);
    deepStrictEqual(await got, many.map(() => [7]));
  });
});
