// Findings of a no-affinity balancer with three nodes: what a client sees when the node that owns its
// session is SIGKILLed while its requests land on another node. The nodes keep the Server's own
// heartbeats (pingInterval 25 s, pingTimeout 20 s; 0.9's 15 s / 25 s), so a client that waits for
// its heartbeat to notice would wait 45–60 s.
import { ok, strictEqual } from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'vitest';
import { closeFleet, isHandshake, type LoadBalancer, type NodeProcess, nextEvent, startLoadBalancer, startNodes } from './cluster-harness.js';
import { type AnyClient, connectAny, RECONNECTING, WEBSOCKET_AFTER_HANDSHAKE } from './generation-clients.js';
import { redisAnswers, uniqueKey } from './redis-env.js';

/** Far below any heartbeat, far above what ending a tunnel takes on a busy machine. */
const PROMPTLY_MS = 10_000;

describe.skipIf(!redisAnswers)('the owner of a session dies', () => {
  let nodes: NodeProcess[] = [];
  let balancer: LoadBalancer | undefined;
  let clients: AnyClient[] = [];

  afterEach(async () => {
    await closeFleet(clients, balancer, nodes);
    [clients, balancer, nodes] = [[], undefined, []];
  });

  it('an idle websocket tunnelled to it ends within seconds, for 4.x, 2.x and 0.9 clients', async () => {
    nodes = await startNodes({ count: 3, key: uniqueKey('tunnel-owner-dies'), defaultHeartbeats: true });
    // Handshakes go to node 2, which owns the sessions; the websockets land on nodes 0 and 1, which tunnel them.
    balancer = await startLoadBalancer([nodes[0]!.port, nodes[1]!.port]);
    balancer.choose = (url) => (isHandshake(url) ? nodes[2]!.port : undefined);
    clients = await Promise.all(WEBSOCKET_AFTER_HANDSHAKE.map((kind) => connectAny(balancer!.url, kind)));
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

  it('a 4.x polling client comes back within seconds on a live node, and its first ack there succeeds', async () => {
    // The package's own forwardTimeout: a held poll may wait that long for an owner that stays silent.
    nodes = await startNodes({ count: 3, key: uniqueKey('polling-owner-dies'), defaultHeartbeats: true, forwardTimeout: 60_000 });
    balancer = await startLoadBalancer([nodes[0]!.port, nodes[1]!.port]);
    let ownerAlive = true;
    // While node 2 lives it takes the handshakes (and owns the sessions); every other request, and every
    // handshake after its death, lands on node 0 or 1 in turn.
    balancer.choose = (url) => (ownerAlive && isHandshake(url) ? nodes[2]!.port : undefined);
    const polling = await connectAny(balancer.url, { generation: '4.x', transport: 'polling' }, RECONNECTING);
    clients = [polling];
    strictEqual(await polling.ack('node'), 2);

    // Its held poll waits on node 2, through node 0 or 1.
    const back = nextEvent(polling, 'disconnect', PROMPTLY_MS + 5000).then(() => nextEvent(polling, 'connect', PROMPTLY_MS + 5000));
    const exited = once(nodes[2]!.child, 'exit');
    ownerAlive = false;
    const killedAt = Date.now();
    nodes[2]!.child.kill('SIGKILL');
    await exited;
    await back;
    ok(Date.now() - killedAt < PROMPTLY_MS, `back ${Date.now() - killedAt} ms after its owner died`);
    ok([0, 1].includes((await polling.ack('node')) as number), 'the first ack after coming back is answered by a live node');
  });
});
