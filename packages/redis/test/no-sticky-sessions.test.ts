// No sticky sessions: a round-robin balancer sends each request (and each websocket) to the next
// process in turn. Polling requests that land on a node that does not own the session are forwarded to
// the owner over Redis; a websocket upgrade that lands there is carried to the owner through a tunnel.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { client, killRunningNodes, type LoadBalancer, type NodeProcess, nextEvent, record, sleep, startLoadBalancer, startNodes, stopNode, until } from './cluster-harness.js';
import { redisAnswers, uniqueKey } from './redis-env.js';

describe.skipIf(!redisAnswers)('no sticky sessions', () => {
  let nodes: NodeProcess[] = [];
  let balancer: LoadBalancer;
  let open: ClientSocket[] = [];

  beforeAll(async () => {
    nodes = await startNodes({ count: 3, key: uniqueKey('sticky'), recovery: true });
    balancer = await startLoadBalancer([nodes[0]!.port, nodes[1]!.port]);
  });
  afterAll(async () => {
    await balancer.close();
    await Promise.all(nodes.map(stopNode));
    await killRunningNodes();
  });
  afterEach(() => {
    for (const socket of open) socket.disconnect();
    open = [];
    balancer.targets = [nodes[0]!.port, nodes[1]!.port];
  });

  it('a polling client whose requests alternate between two nodes stays connected and receives every message', async () => {
    const polling = await client(balancer.url, { transports: ['polling'] });
    open.push(polling);
    const direct = await client(nodes[2]!.url, { transports: ['websocket'] });
    open.push(direct);
    const seen = record(polling, 'tick');
    const nodesSeen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      direct.emit('broadcast', {}, 'tick', i);
      // Acks travel the other way, through POSTs that land on either node.
      nodesSeen.add((await polling.emitWithAck('node')) as number);
    }
    await until(() => seen.length === 20, 'every tick');
    // Offsets for connection state recovery come last; the payload comes first, in order.
    deepStrictEqual(seen.map((args) => args[0]), Array.from({ length: 20 }, (_, i) => i));
    strictEqual(nodesSeen.size, 1, 'one node owns the session whichever node the request lands on');
    // Several heartbeats (pingInterval 1000 ms) go through the forwarding too.
    await sleep(2500);
    strictEqual(polling.connected, true);
    strictEqual(polling.io.engine.transport.name, 'polling');
  });

  it('binary and large bodies cross the forwarding both ways', async () => {
    const polling = await client(balancer.url, { transports: ['polling'] });
    open.push(polling);
    const big = 'x'.repeat(300_000);
    for (let i = 0; i < 2; i++) strictEqual(await polling.emitWithAck('echo', big), big);
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    for (let i = 0; i < 2; i++) deepStrictEqual([...new Uint8Array((await polling.emitWithAck('echo', bytes)) as ArrayBuffer)], [...bytes]);
  });

  it('a client that upgrades to websocket on the node that does not own its session is tunnelled to the owner', async () => {
    const upgrading = await client(balancer.url, {});
    open.push(upgrading);
    await until(() => upgrading.io.engine.transport.name === 'websocket', 'the upgrade');
    const direct = await client(nodes[2]!.url, { transports: ['websocket'] });
    open.push(direct);
    const got = nextEvent<[string]>(upgrading, 'after-upgrade');
    direct.emit('broadcast', {}, 'after-upgrade', 'yes');
    strictEqual((await got)[0], 'yes');
    ok(typeof (await upgrading.emitWithAck('node')) === 'number');
    // The server side can end it too, through the tunnel.
    const gone = nextEvent<[string]>(upgrading, 'disconnect');
    direct.emit('kick', upgrading.id);
    strictEqual((await gone)[0], 'io server disconnect');
  });

  it('many upgrades through the balancer: half of them land on the other node and all work', async () => {
    const sockets = await Promise.all(Array.from({ length: 6 }, () => client(balancer.url, {})));
    open.push(...sockets);
    await until(() => sockets.every((s) => s.io.engine.transport.name === 'websocket'), 'every upgrade');
    const owners = await Promise.all(sockets.map((s) => s.emitWithAck('node')));
    deepStrictEqual(new Set(owners), new Set([0, 1]));
  });

  it('connection state recovery: a client that drops and comes back on another node gets its id, rooms and missed events', async () => {
    balancer.targets = [nodes[0]!.port];
    const mobile = await client(balancer.url, { transports: ['websocket'], reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 200 });
    open.push(mobile);
    strictEqual(await mobile.emitWithAck('join', 'news'), 0);
    const direct = await client(nodes[2]!.url, { transports: ['websocket'] });
    open.push(direct);
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
