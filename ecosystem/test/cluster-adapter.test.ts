// @socket.io/cluster-adapter: the nodes are node:cluster workers of one primary, which relays between
// them. Each worker listens on its own port for the cluster conformance suite; behind @socket.io/sticky,
// polling clients of socket.io-client 4 and 2.x share one port and stay with their worker.
import { type ClusterNode, forkClusterNodes, runClusterConformance, socketIoClientV2, socketIoClientV4 } from '@switchyard/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

const PRIMARY = new URL('../nodes/cluster-primary.mjs', import.meta.url);

runClusterConformance(
  { describe, it, beforeEach, afterEach, afterAll },
  { name: '@socket.io/cluster-adapter, node:cluster workers', startNodes: (count) => forkClusterNodes(PRIMARY, { first: 0, count }) },
);

describe('@socket.io/cluster-adapter behind @socket.io/sticky', () => {
  let nodes: ClusterNode[] = [];
  const closing: (() => void)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) close();
    for (const node of nodes.splice(0)) await node.close();
  });

  // sticky learns which worker holds a session from an IPC message the worker sends from the engine's
  // `connection` event. Switchyard emits that event before it answers a polling handshake, so the
  // primary hears of the sid before the client can send it (engine.io answers first: docs/scaling.md).
  it('long-polling clients of socket.io-client 4 and 2.x on one shared port stay with their worker and get broadcasts from every worker', async () => {
    nodes = await forkClusterNodes(PRIMARY, { first: 0, count: 2, env: { STICKY: '1' } });
    const url = nodes[0]!.url;
    const clients = [];
    // Round-robin hands consecutive handshakes to alternate workers.
    for (const generation of [socketIoClientV4, socketIoClientV2, socketIoClientV4, socketIoClientV2]) {
      const client = await generation.connect({ url, path: '/socket.io/', transports: ['polling'] });
      closing.push(() => client.close());
      clients.push(client);
    }
    const ids = (await Promise.all(clients.map((client) => client.ask('whoami', '')))) as string[];
    const sockets = await nodes[0]!.call('fetchSockets', {});
    expect(sockets.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(new Set(sockets.map((s) => s.node))).toEqual(new Set([0, 1]));
    // Several round trips each, every one of them routed by sid to the worker that holds the session.
    for (let round = 0; round < 3; round++) {
      expect(await Promise.all(clients.map((client) => client.ask('join', `room-${round}`)))).toEqual(clients.map(() => true));
    }
    const seen = clients.map(() => [] as unknown[][]);
    clients.forEach((client, i) => client.on('news', (...args: never[]) => seen[i]!.push(args)));
    await nodes[1]!.call('emit', { to: ['room-2'] }, 'news', ['from worker 1']);
    await expect.poll(() => seen.every((s) => s.length === 1), { timeout: 10_000 }).toBe(true);
    expect(seen).toEqual(clients.map(() => [['from worker 1']]));
  });
});
