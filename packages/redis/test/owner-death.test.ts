// Findings of a no-affinity balancer with three nodes: what a client sees when the node that owns its
// session is SIGKILLed while its requests land on another node. The nodes keep the Server's own
// heartbeats (pingInterval 25 s, pingTimeout 20 s; 0.9's 15 s / 25 s), so a client that waits for
// its heartbeat to notice would wait 45–60 s.
import { ok, strictEqual } from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'vitest';
import { isHandshake, killRunningNodes, type LoadBalancer, type NodeProcess, nextEvent, startLoadBalancer, startNodes, stopNode } from './cluster-harness.js';
import { type AnyClient, type ClientKind, connectAny } from './generation-clients.js';
import { redisAnswers, uniqueKey } from './redis-env.js';

/** Far below any heartbeat, far above what ending a tunnel takes on a busy machine. */
const PROMPTLY_MS = 10_000;

describe.skipIf(!redisAnswers)('the owner of a session dies', () => {
  let nodes: NodeProcess[] = [];
  let balancer: LoadBalancer | undefined;
  let clients: AnyClient[] = [];

  afterEach(async () => {
    for (const client of clients) client.close();
    clients = [];
    await balancer?.close();
    balancer = undefined;
    await Promise.all(nodes.map(stopNode));
    nodes = [];
    await killRunningNodes();
  });

  it('an idle websocket tunnelled to it ends within seconds, for 4.x, 2.x and 0.9 clients', async () => {
    nodes = await startNodes({ count: 3, key: uniqueKey('tunnel-owner-dies'), defaultHeartbeats: true });
    // Handshakes go to node 2, which owns the sessions; the websockets land on nodes 0 and 1, which tunnel them.
    balancer = await startLoadBalancer([nodes[0]!.port, nodes[1]!.port]);
    balancer.choose = (url) => (isHandshake(url) ? nodes[2]!.port : undefined);
    const kinds: ClientKind[] = [
      { generation: '4.x', transport: 'upgrade' },
      { generation: '2.x', transport: 'upgrade' },
      { generation: '0.9', transport: 'websocket' },
    ];
    clients = await Promise.all(kinds.map((kind) => connectAny(balancer!.url, kind)));
    for (const client of clients) strictEqual(await client.ack('node'), 2, client.name);

    // Nobody sends anything from now on.
    const ended = clients.map((client) => nextEvent(client, 'disconnect', PROMPTLY_MS + 5000).then(() => Date.now()));
    const exited = once(nodes[2]!.child, 'exit');
    const killedAt = Date.now();
    nodes[2]!.child.kill('SIGKILL');
    await exited;
    for (const [i, at] of (await Promise.all(ended)).entries()) {
      ok(at - killedAt < PROMPTLY_MS, `${clients[i]!.name}: the tunnel ended ${at - killedAt} ms after its owner died`);
    }
  });
});
