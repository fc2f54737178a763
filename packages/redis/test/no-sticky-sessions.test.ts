// No sticky sessions: a round-robin balancer sends each request (and each websocket) to the next
// process in turn. Polling requests that land on a node that does not own the session are forwarded to
// the owner over Redis; a websocket upgrade that lands there is carried to the owner through a tunnel.
// Every client generation goes through it: socket.io-client 4.x, 2.5.0 and 0.9.16.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { client, type ClientOptions, isHandshake, type LoadBalancer, type NodeProcess, nextEvent, record, sleep, startLoadBalancer, startNodes, stopAll, until } from './cluster-harness.js';
import { type AnyClient, type ClientKind, connectAny, EVERY_KIND, nameOf } from './generation-clients.js';
import { redisAnswers, uniqueKey } from './redis-env.js';

const POLLING: readonly ClientKind[] = [
  { generation: '4.x', transport: 'polling' },
  { generation: '2.x', transport: 'polling' },
  { generation: '0.9', transport: 'polling' },
];
const UPGRADING: readonly ClientKind[] = [
  { generation: '4.x', transport: 'upgrade' },
  { generation: '2.x', transport: 'upgrade' },
];
const V09: readonly ClientKind[] = [
  { generation: '0.9', transport: 'websocket' },
  { generation: '0.9', transport: 'polling' },
];
const named = (kind: ClientKind): [string, ClientKind] => [nameOf(kind), kind];

describe.skipIf(!redisAnswers)('no sticky sessions', () => {
  let nodes: NodeProcess[] = [];
  let balancer: LoadBalancer;
  let open: Array<{ close(): void }> = [];

  beforeAll(async () => {
    nodes = await startNodes({ count: 3, key: uniqueKey('sticky'), recovery: true });
    balancer = await startLoadBalancer([nodes[0]!.port, nodes[1]!.port]);
  });
  afterAll(async () => {
    await balancer.close();
    await stopAll(nodes);
  });
  afterEach(() => {
    for (const socket of open) socket.close();
    open = [];
    balancer.targets = [nodes[0]!.port, nodes[1]!.port];
    balancer.choose = undefined;
    balancer.hits.clear();
  });

  async function connect(url: string, kind: ClientKind): Promise<AnyClient> {
    const socket = await connectAny(url, kind);
    open.push(socket);
    return socket;
  }

  async function connect4(url: string, options: ClientOptions): Promise<ClientSocket> {
    const socket = await client(url, options);
    open.push({ close: () => socket.disconnect() });
    return socket;
  }

  it.each(POLLING.map(named))('%s: requests that alternate between two nodes keep the client connected, and it receives every message', async (_, kind) => {
    const polling = await connect(balancer.url, kind);
    const direct = await connect(nodes[2]!.url, { generation: '4.x', transport: 'websocket' });
    const seen = record(polling, 'tick');
    const nodesSeen = new Set<unknown>();
    for (let i = 0; i < 20; i++) {
      direct.emit('broadcast', {}, 'tick', i);
      // Acks travel the other way, through POSTs that land on either node.
      nodesSeen.add(await polling.ack('node'));
    }
    await until(() => seen.length === 20, 'every tick');
    // Offsets for connection state recovery come last; the payload comes first, in order.
    deepStrictEqual(seen.map((args) => args[0]), Array.from({ length: 20 }, (_, i) => i));
    strictEqual(nodesSeen.size, 1, 'one node owns the session whichever node the request lands on');
    // Heartbeats (pingInterval 1000 ms; 0.9's held polls end every 1000 ms) go through the forwarding too.
    await sleep(2500);
    strictEqual(polling.connected, true);
    strictEqual(polling.transport, 'polling');
    for (const node of [nodes[0]!, nodes[1]!]) ok((balancer.hits.get(node.port) ?? 0) >= 10, `requests on node ${node.index}`);
  });

  it('clients of every generation behind the balancer: broadcasts, acks, rooms and kicks reach them wherever their requests land', async () => {
    const clients = await Promise.all(EVERY_KIND.map((kind) => connect(balancer.url, kind)));
    const direct = await connect(nodes[2]!.url, { generation: '4.x', transport: 'websocket' });
    [...clients, direct].forEach((c, i) => c.on('question', (reply: (n: number) => void) => reply(i)));
    const answer = (await direct.ack('ask-all', 3000)) as { answers: number[] };
    deepStrictEqual([...answer.answers].sort((a, b) => a - b), [...EVERY_KIND.keys(), 8]);
    for (const c of clients) await c.ack('join', 'room');
    const got = Promise.all(clients.map((c) => nextEvent<[string]>(c, 'in-room')));
    direct.emit('broadcast', { to: 'room' }, 'in-room', 'yes');
    deepStrictEqual((await got).map((args) => args[0]), clients.map(() => 'yes'));
    const ids = await Promise.all(clients.map((c) => c.ack('whoami')));
    const gone = Promise.all(clients.map((c) => nextEvent(c, 'disconnect')));
    for (const id of ids) direct.emit('kick', id);
    await gone;
  });

  it('binary and large bodies cross the forwarding both ways', async () => {
    const polling = await connect4(balancer.url, { transports: ['polling'] });
    const big = 'x'.repeat(300_000);
    for (let i = 0; i < 2; i++) strictEqual(await polling.emitWithAck('echo', big), big);
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    for (let i = 0; i < 2; i++) deepStrictEqual([...new Uint8Array((await polling.emitWithAck('echo', bytes)) as ArrayBuffer)], [...bytes]);
  });

  it.each(UPGRADING.map(named))('%s: a polling→websocket upgrade that lands on the node that does not own the session is tunnelled to the owner', async (_, kind) => {
    // Every HTTP request goes to node 0 (which opens the session), every websocket to node 1.
    balancer.choose = (_url, upgrade) => nodes[upgrade ? 1 : 0]!.port;
    const upgrading = await connect(balancer.url, kind);
    strictEqual(upgrading.transport, 'websocket');
    strictEqual(balancer.hits.get(nodes[1]!.port), 1, 'the websocket went to node 1');
    strictEqual(await upgrading.ack('node'), 0);
    const direct = await connect(nodes[2]!.url, { generation: '4.x', transport: 'websocket' });
    const got = nextEvent<[string]>(upgrading, 'after-upgrade');
    direct.emit('broadcast', {}, 'after-upgrade', 'yes');
    strictEqual((await got)[0], 'yes');
    // The server side can end it too, through the tunnel.
    const gone = nextEvent<[string]>(upgrading, 'disconnect');
    direct.emit('kick', await upgrading.ack('whoami'));
    strictEqual((await gone)[0], 'io server disconnect');
  });

  it('many upgrades of 4.x and 2.x clients through the balancer: half of them land on the other node and all work', async () => {
    const sockets = await Promise.all(Array.from({ length: 8 }, (_, i) => connect(balancer.url, UPGRADING[i % UPGRADING.length]!)));
    const owners = await Promise.all(sockets.map((s) => s.ack('node')));
    deepStrictEqual(new Set(owners), new Set([0, 1]));
    const direct = await connect(nodes[2]!.url, { generation: '4.x', transport: 'websocket' });
    const got = Promise.all(sockets.map((s) => nextEvent<[number]>(s, 'all')));
    direct.emit('broadcast', {}, 'all', 8);
    // 4.x clients also get a recovery offset after the payload.
    deepStrictEqual((await got).map((args) => args[0]), sockets.map(() => 8));
  });

  it.each(V09.map(named))('%s: a handshake on one node and its transport on another', async (_, kind) => {
    // The handshake goes to node 0, which owns the session; every transport request and websocket to node 1.
    balancer.choose = (url) => nodes[isHandshake(url) ? 0 : 1]!.port;
    const old = await connect(balancer.url, kind);
    strictEqual(old.transport, kind.transport);
    strictEqual(balancer.hits.get(nodes[0]!.port), 1, 'only the handshake went to node 0');
    strictEqual(await old.ack('node'), 0);
    const direct = await connect(nodes[2]!.url, { generation: '4.x', transport: 'websocket' });
    const ticks = record(old, 'tick');
    for (let i = 0; i < 5; i++) direct.emit('broadcast', {}, 'tick', i);
    await until(() => ticks.length === 5, 'every tick');
    deepStrictEqual(ticks.map((args) => args[0]), [0, 1, 2, 3, 4]);
    // Heartbeats and held polls (1000 ms each) cross the forwarding too.
    await sleep(2500);
    strictEqual(old.connected, true);
    strictEqual(await old.ack('echo', 'still here'), 'still here');
    const gone = nextEvent<[string]>(old, 'disconnect');
    direct.emit('kick', await old.ack('whoami'));
    strictEqual((await gone)[0], 'booted');
    ok((balancer.hits.get(nodes[1]!.port) ?? 0) >= 1);
  });

  it('a request for a session whose node is gone is refused in its generation\'s own words, so the client handshakes again', async () => {
    // A tag no node has: the request is published to nobody, tried once more, then refused by node 0's own Server.
    const sid = 'gone0000.AAAAAAAAAAAAAAAAAAAAAA';
    const ask = async (path: string, init: RequestInit = {}): Promise<[number, string]> => {
      const res = await fetch(nodes[0]!.url + path, init);
      return [res.status, await res.text()];
    };
    const unknown = JSON.stringify({ code: 1, message: 'Session ID unknown' });
    deepStrictEqual(await ask(`/socket.io/?EIO=4&transport=polling&sid=${sid}`), [400, unknown]);
    deepStrictEqual(await ask(`/socket.io/?EIO=3&transport=polling&sid=${sid}`), [400, unknown]);
    // 0.9: "client not handshaken", advice "reconnect".
    deepStrictEqual(await ask(`/socket.io/1/xhr-polling/${sid}?t=1`), [200, '7:::1+0']);
    deepStrictEqual(await ask(`/socket.io/1/xhr-polling/${sid}?t=1`, { method: 'POST', body: '3:::hi' }), [200, '7:::1+0']);
    deepStrictEqual(await ask(`/socket.io/1/jsonp-polling/${sid}?t=1&i=2`), [200, 'io.j[2]("7:::1+0");']);
    // Websockets: Engine.IO refuses the upgrade; 0.9 upgrades, says "client not handshaken" and closes.
    ok((await upgrade(nodes[0]!.port, `/socket.io/?EIO=4&transport=websocket&sid=${sid}`)).startsWith('HTTP/1.1 400 '));
    const old = await upgrade(nodes[0]!.port, `/socket.io/1/websocket/${sid}`);
    ok(old.startsWith('HTTP/1.1 101 '), old);
    // A text frame of 7 bytes.
    ok(old.includes('\x81\x077:::1+0'), JSON.stringify(old));
  });

  it('connection state recovery: a client that drops and comes back on another node gets its id, rooms and missed events', async () => {
    balancer.targets = [nodes[0]!.port];
    const mobile = await connect4(balancer.url, { transports: ['websocket'], reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 200 });
    strictEqual(await mobile.emitWithAck('join', 'news'), 0);
    const direct = await connect4(nodes[2]!.url, { transports: ['websocket'] });
    const news = record(mobile, 'news');
    direct.emit('broadcast', { to: 'news' }, 'news', 'before');
    await until(() => news.length === 1, 'the first news');
    const firstId = mobile.id;

    balancer.targets = [nodes[1]!.port];
    const dropped = nextEvent(mobile, 'disconnect');
    balancer.dropConnections();
    await dropped;
    direct.emit('broadcast', { to: 'news' }, 'news', 'while away');
    direct.emit('broadcast', { to: 'elsewhere' }, 'news', 'not for you');
    await nextEvent(mobile, 'connect');
    strictEqual(mobile.recovered, true);
    strictEqual(mobile.id, firstId);
    strictEqual(await mobile.emitWithAck('node'), 1);
    await until(() => news.length === 2, 'the missed news');
    deepStrictEqual(news.map((args) => args[0]), ['before', 'while away']);
    // Its rooms came along: a broadcast to "news" reaches it on its new node.
    direct.emit('broadcast', { to: 'news' }, 'news', 'after');
    await until(() => news.length === 3, 'the news after');
  });
});

/**
 * Sends a websocket upgrade request over a plain TCP connection; resolves with what the server wrote
 * until it closed the connection, or sent a websocket close frame (0x88).
 */
async function upgrade(port: number, path: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (chunk.includes(0x88)) socket.destroy();
  });
  const timer = setTimeout(() => socket.destroy(), 5000);
  await once(socket, 'close');
  clearTimeout(timer);
  return Buffer.concat(chunks).toString('latin1');
}

describe.skipIf(!redisAnswers)('0.9 streaming transports through the node that does not own the session', () => {
  let nodes: NodeProcess[] = [];

  beforeAll(async () => {
    nodes = await startNodes({ count: 2, key: uniqueKey('stream'), forwardTimeout: 2500 });
  });
  afterAll(async () => {
    await stopAll(nodes);
  });

  it('an htmlfile stream held open through another node lasts past forwardTimeout while the owner keeps writing', async () => {
    const handshake = await (await fetch(`${nodes[0]!.url}/socket.io/1/?t=1`)).text();
    const sid = handshake.slice(0, handshake.indexOf(':'));
    const transportUrl = `${nodes[1]!.url}/socket.io/1/htmlfile/${sid}`;
    const stream = new AbortController();
    const res = await fetch(`${transportUrl}?t=2`, { signal: stream.signal });
    strictEqual(res.status, 200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let heartbeats = 0;
    try {
      // Heartbeats come every 1000 ms; each is answered by a POST, forwarded too. Watch past 2 × forwardTimeout.
      for (const deadline = Date.now() + 5500; Date.now() < deadline; ) {
        const { value, done } = await reader.read();
        ok(!done, `the stream ended after ${heartbeats} heartbeats`);
        const beats = decoder.decode(value, { stream: true }).split('_("2::")').length - 1;
        for (let i = 0; i < beats; i++) strictEqual(await (await fetch(transportUrl, { method: 'POST', body: '2::' })).text(), '1');
        heartbeats += beats;
      }
      ok(heartbeats >= 3, `${heartbeats} heartbeats`);
    } finally {
      stream.abort();
      await fetch(`${transportUrl}?disconnect`).catch(() => undefined);
    }
  });
});
