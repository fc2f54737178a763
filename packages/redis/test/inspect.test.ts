// io.inspectCluster() across Redis: two Switchyard nodes over @switchyard/redis, then over socket.io's own
// @socket.io/redis-adapter, each with clients of every generation; and a mixed fleet, whose socket.io
// node cannot answer.
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { type ClientGenerationName, type ClusterSnapshot, Server, type ServerOptions } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisCluster } from '../src/index.js';
import { startNodes, stopAll, until } from './cluster-harness.js';
import { type AnyClient, type ClientKind, connectAny } from './generation-clients.js';
import { listen, mixedFleet } from './fleet-nodes.js';
import { newClient, redisAnswers, uniqueKey } from './redis-env.js';

/** One line per session of each node: `generation transport namespaces`, sorted. */
function sessionLines(snapshot: ClusterSnapshot): string[][] {
  return snapshot.nodes.map((node) => (node.engine.sessions ?? []).map((s) => `${s.generation} ${s.transport} ${s.namespaces.join('+')}`).sort());
}

describe.skipIf(!redisAnswers)('io.inspectCluster() over Redis', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function node(options: ServerOptions): Promise<{ io: Server; url: string }> {
    const http = createServer();
    const io = new Server(http, options);
    for (const name of ['/', '/chat']) {
      io.of(name).on('connection', (socket) => {
        socket.on('join', (room: string, ack: (room: string) => void) => {
          void socket.join(room);
          ack(room);
        });
      });
    }
    cleanups.push(async () => {
      await io.close();
      http.closeAllConnections();
    });
    return { io, url: await listen(http) };
  }

  async function client(url: string, kind: ClientKind, room: string): Promise<AnyClient> {
    const c = await connectAny(url, kind);
    cleanups.push(() => c.close());
    await c.ack('join', room);
    return c;
  }

  /** A: 4.x websocket in / and 0.9 xhr-polling in /chat; B: 2.x polling and 0.9 websocket in /. */
  async function populate(a: string, b: string): Promise<void> {
    await client(a, { generation: '4.x', transport: 'websocket' }, 'blue');
    await client(`${a}/chat`, { generation: '0.9', transport: 'polling' }, 'green');
    await client(b, { generation: '2.x', transport: 'polling' }, 'blue');
    await client(b, { generation: '0.9', transport: 'websocket' }, 'blue');
  }

  function checkTwoNodes(snapshot: ClusterSnapshot, ids: string[]): void {
    expect(snapshot.nodes.map((n) => n.node.id)).toEqual(ids);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(sessionLines(snapshot)).toEqual([
      // A 0.9 client joins / before any other namespace.
      ['0.9 xhr-polling /+/chat', '4.x websocket /'],
      ['0.9 websocket /', '2.x polling /'],
    ]);
    expect(snapshot.nodes.map((n): Record<ClientGenerationName, number> => n.sockets.byGeneration)).toEqual([
      { '4.x': 1, '2.x': 0, '0.9': 2 },
      { '4.x': 0, '2.x': 1, '0.9': 1 },
    ]);
    // Rooms are each node's: `blue` has one member on A and two on B.
    expect(snapshot.nodes.map((n) => n.namespaces.find((nsp) => nsp.name === '/')!.rooms)).toEqual([
      [{ name: 'blue', members: 1 }],
      [{ name: 'blue', members: 2 }],
    ]);
    expect(snapshot.nodes[0]!.namespaces.find((nsp) => nsp.name === '/chat')!.rooms).toEqual([{ name: 'green', members: 1 }]);
    expect(snapshot.clients).toEqual({
      total: 4,
      byGeneration: { '4.x': 1, '2.x': 1, '0.9': 2 },
      byTransport: { websocket: 2, 'xhr-polling': 1, polling: 1 },
    });
  }

  it('gathers both nodes of @switchyard/redis, each with its sessions, sockets and rooms', async () => {
    const key = uniqueKey('inspect');
    const clusters = [0, 1].map(() => {
      const redis = newClient();
      const cluster = new RedisCluster({ client: redis, key });
      cleanups.push(async () => {
        await cluster.close();
        redis.disconnect();
      });
      return cluster;
    });
    await Promise.all(clusters.map((cluster) => cluster.ready()));
    const a = await node({ adapter: clusters[0]!.adapter });
    const b = await node({ adapter: clusters[1]!.adapter });
    await populate(a.url, b.url);
    await until(async () => (await a.io.of('/').adapter.serverCount()) === 2, 'two nodes');

    checkTwoNodes(await a.io.inspectCluster(), [a.io.inspect().node.id, b.io.inspect().node.id]);
    const fromB = await b.io.inspectCluster({ sessions: false });
    expect(fromB.nodes.map((n) => n.node.id)).toEqual([b.io.inspect().node.id, a.io.inspect().node.id]);
    expect(fromB.nodes.every((n) => n.engine.sessions === undefined)).toBe(true);
  });

  it("gathers both nodes over socket.io's @socket.io/redis-adapter", async () => {
    const key = uniqueKey('inspect-sio-adapter');
    const make = () => {
      const pub = newClient();
      const sub = newClient();
      cleanups.push(() => {
        pub.disconnect();
        sub.disconnect();
      });
      return createAdapter(pub, sub, { key });
    };
    const a = await node({ adapter: make() });
    const b = await node({ adapter: make() });
    await populate(a.url, b.url);
    await until(async () => (await a.io.of('/').adapter.serverCount()) === 2, 'two nodes');

    checkTwoNodes(await a.io.inspectCluster(), [a.io.inspect().node.id, b.io.inspect().node.id]);
  });

  it('gathers the snapshots of two node processes, each with its own pid', async () => {
    const nodes = await startNodes({ count: 2, key: uniqueKey('inspect-processes') });
    cleanups.push(async () => {
      await stopAll(nodes);
    });
    const asker = await connectAny(nodes[0]!.url, { generation: '4.x', transport: 'websocket' });
    cleanups.push(() => asker.close());
    await client(nodes[1]!.url, { generation: '2.x', transport: 'upgrade' }, 'blue');
    await client(nodes[1]!.url, { generation: '0.9', transport: 'polling' }, 'blue');

    const snapshot = (await asker.ack('inspect-cluster')) as ClusterSnapshot;
    expect(snapshot.nodes.map((n) => n.node.pid)).toEqual([nodes[0]!.child.pid, nodes[1]!.child.pid]);
    expect(sessionLines(snapshot)).toEqual([['4.x websocket /'], ['0.9 xhr-polling /', '2.x websocket /']]);
    expect(snapshot.nodes[1]!.namespaces[0]!.rooms).toEqual([{ name: 'blue', members: 2 }]);
    expect(snapshot.clients.byGeneration).toEqual({ '4.x': 1, '2.x': 1, '0.9': 1 });
  });

  it('rejects when a node does not answer in time: a socket.io node of a mixed fleet', async () => {
    const key = uniqueKey('inspect-mixed');
    const fleet = await mixedFleet(key);
    cleanups.push(() => fleet.close());
    const sy = await node({ adapter: fleet.cluster.adapter });
    await until(async () => (await sy.io.of('/').adapter.serverCount()) === 2, 'two nodes');
    await expect(sy.io.inspectCluster({ timeout: 300 })).rejects.toMatchObject({ code: 'ERR_REALTIME_CLUSTER_TIMEOUT' });
  });
});
