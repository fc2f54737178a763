// Faults: a Redis restart in the middle of a test, and a node that dies. No process crashes, errors
// surface as events, broadcasts resume, and calls waiting on a dead node end on time.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, it } from 'vitest';
import { client, closeFleet, isHandshake, type LoadBalancer, type NodeProcess, nextEvent, record, redisErrors, sleep, startLoadBalancer, startNodes, until } from './cluster-harness.js';
import { type AnyClient, connectAny, POLLING_KINDS, RECONNECTING, WEBSOCKET_AFTER_HANDSHAKE } from './generation-clients.js';
import { redisAnswers, uniqueKey } from './redis-env.js';
import { type OwnRedis, startOwnRedis } from './redis-server.js';

describe.skipIf(!redisAnswers)('faults', () => {
  let nodes: NodeProcess[] = [];
  let redis: OwnRedis | undefined;
  let balancer: LoadBalancer | undefined;
  let open: ClientSocket[] = [];
  let others: AnyClient[] = [];

  afterEach(async () => {
    for (const socket of open) socket.disconnect();
    open = [];
    await closeFleet(others, balancer, nodes);
    [others, balancer, nodes] = [[], undefined, []];
    await redis?.stop();
    redis = undefined;
  });

  const alive = (node: NodeProcess): boolean => node.child.exitCode === null && node.child.signalCode === null;

  it('Redis restarts in the middle: no crash, errors surface as events, broadcasts resume for every generation', async () => {
    redis = await startOwnRedis();
    // With connection state recovery on, every broadcast is logged in Redis first: with Redis away it
    // must still go out at once.
    nodes = await startNodes({ count: 3, key: uniqueKey('restart'), redisUrl: redis.url, recovery: true });
    const sockets = await Promise.all(nodes.map((node, i) => client(node.url, { transports: i === 1 ? ['polling'] : ['websocket'] })));
    open.push(...sockets);
    // Next to the 4.x clients: a 2.x client on node 2, a 0.9 polling client on node 1, and a 4.x polling
    // client whose requests go to every node in turn (through a balancer without affinity).
    balancer = await startLoadBalancer(nodes.map((node) => node.port));
    const older = await Promise.all([
      connectAny(nodes[2]!.url, { generation: '2.x', transport: 'websocket' }),
      connectAny(nodes[1]!.url, { generation: '0.9', transport: 'polling' }),
    ]);
    // Without Redis, a request that lands on a node that does not own its session cannot be forwarded:
    // its session is refused, so it reconnects (and handshakes again) until Redis is back.
    const roaming = await connectAny(balancer.url, { generation: '4.x', transport: 'polling' }, RECONNECTING);
    others.push(...older, roaming);
    const everyone: (ClientSocket | AnyClient)[] = [...sockets, ...older, roaming];
    const first = Promise.all(everyone.map((s) => nextEvent(s, 'before')));
    sockets[0]!.emit('broadcast', {}, 'before', 1);
    await first;

    await redis.kill();
    // Broadcasts while Redis is away reach the local clients; the rest may be lost, nothing crashes.
    sockets[0]!.emit('broadcast', {}, 'during', 1);
    await nextEvent(sockets[0]!, 'during', 1000);
    await sleep(1000);
    await redis.start();

    // Broadcasts from every node reach every client again (subscriptions were restored).
    for (const from of [0, 1, 2]) {
      const seen = everyone.map((s) => record(s, `after-${from}`));
      await until(
        () => {
          sockets[from]!.emit('broadcast', {}, `after-${from}`, from);
          return seen.every((s) => s.length > 0);
        },
        `broadcasts from node ${from} to resume`,
        15_000,
      );
    }
    ok(nodes.every(alive), 'every process is still running');
    ok(sockets.every((s) => s.connected), 'every 4.x client on its own node is still connected');
    for (const other of older) ok(other.connected, `${other.name} is still connected`);
    const errors = await Promise.all(nodes.map(redisErrors));
    ok(errors.every((n) => n > 0), `each node reported the outage as error events (${errors.join(', ')})`);
    // Cluster requests work again.
    const answer = (await sockets[2]!.emitWithAck('server-ask')) as { answers?: number[] };
    deepStrictEqual([...(answer.answers ?? [])].sort(), [0, 1]);
    // The roaming client's requests cross nodes again, and it stays: it hears what every node says.
    const hits = new Map(balancer.hits);
    const seen = record(roaming, 'roam');
    for (const [i, socket] of sockets.entries()) {
      socket.emit('broadcast', {}, 'roam', i);
      strictEqual(await roaming.ack('echo', i), i);
    }
    await until(() => seen.length === 3, 'the roaming client to hear every node');
    ok(roaming.connected, 'the roaming client is connected');
    const crossed = [...balancer.hits].filter(([port, n]) => n > (hits.get(port) ?? 0));
    ok(crossed.length >= 2, `the roaming client's requests went to ${crossed.length} nodes`);
  });

  it('Redis is away when the nodes start: they form the cluster once it comes, and forward requests', async () => {
    redis = await startOwnRedis();
    await redis.kill();
    const starting = startNodes({ count: 2, key: uniqueKey('late'), redisUrl: redis.url });
    // Long enough, on an idle machine, for ioredis to give up on the first subscriptions (the nodes
    // allow 2 retries); on a busy one the nodes may not have tried yet, which the test tolerates.
    await sleep(1500);
    await redis.start();
    nodes = await starting;
    balancer = await startLoadBalancer(nodes.map((node) => node.port));
    const polling = await client(balancer.url, { transports: ['polling'] });
    open.push(polling);
    for (let i = 0; i < 4; i++) strictEqual(await polling.emitWithAck('echo', i), i);
    const direct = await client(nodes[0]!.url, { transports: ['websocket'] });
    open.push(direct);
    const got = nextEvent<[string]>(polling, 'late');
    direct.emit('broadcast', {}, 'late', 'news');
    deepStrictEqual(await got, ['news']);
  });

  it('a node dies: calls waiting on it end on time, its forwarded sessions are refused, the others carry on', async () => {
    nodes = await startNodes({ count: 3, key: uniqueKey('death') });
    const sockets = await Promise.all(nodes.slice(0, 2).map((node) => client(node.url, { transports: ['websocket'] })));
    open.push(...sockets);
    // A polling client owned by node 2, reached through node 1.
    balancer = await startLoadBalancer([nodes[2]!.port, nodes[1]!.port]);
    const polling = await client(balancer.url, { transports: ['polling'] });
    open.push(polling);
    strictEqual(await polling.emitWithAck('node'), 2);
    balancer.targets = [nodes[1]!.port];
    const dropped = nextEvent<[string]>(polling, 'disconnect', 10_000);

    nodes[2]!.child.kill('SIGKILL');
    const started = Date.now();
    const answer = (await sockets[0]!.emitWithAck('server-ask')) as { answers?: number[]; code?: string };
    ok(Date.now() - started < 5000, 'the request ends soon after requestTimeout (1500 ms)');
    // Either node 2 was still thought alive (a clean timeout) or already forgotten (node 1 answers).
    if (answer.code === undefined) deepStrictEqual(answer.answers, [1]);
    else strictEqual(answer.code, 'ERR_REALTIME_CLUSTER_TIMEOUT');
    // The session owned by the dead node is refused by node 1 instead of hanging.
    await dropped;

    await sleep(1600); // node 2 is no longer counted: its connections to Redis are gone
    deepStrictEqual(((await sockets[0]!.emitWithAck('server-ask')) as { answers: number[] }).answers, [1]);
    const got = nextEvent<[number]>(sockets[1]!, 'still');
    sockets[0]!.emit('broadcast', {}, 'still', 1);
    deepStrictEqual(await got, [1]);
    ok(alive(nodes[0]!) && alive(nodes[1]!));
  });

  it('a node dies: polling and tunnelled websocket clients of every generation whose sessions it owned handshake again on a live node', async () => {
    nodes = await startNodes({ count: 2, key: uniqueKey('rehandshake'), forwardTimeout: 3000 });
    // Handshakes go to node 1, which owns the sessions; every other request reaches it through node 0.
    balancer = await startLoadBalancer([nodes[0]!.port]);
    let ownerAlive = true;
    balancer.choose = (url) => (ownerAlive && isHandshake(url) ? nodes[1]!.port : undefined);
    // The websockets reach node 1 through a tunnel from node 0.
    const kinds = [...POLLING_KINDS, ...WEBSOCKET_AFTER_HANDSHAKE];
    const clients = await Promise.all(kinds.map((kind) => connectAny(balancer!.url, kind, RECONNECTING)));
    others.push(...clients);
    for (const client of clients) strictEqual(await client.ack('node'), 1, client.name);
    const back = clients.map(async (client) => {
      const [reason] = await nextEvent<[string]>(client, 'disconnect', 15_000);
      await nextEvent(client, 'connect', 15_000);
      return reason;
    });
    ownerAlive = false;
    const exited = once(nodes[1]!.child, 'exit');
    nodes[1]!.child.kill('SIGKILL');
    await exited;
    // What a tunnelled 4.x or 2.x client sends now is heard by nobody: its tunnel ends at once, and it
    // reconnects without waiting for a heartbeat to time out.
    for (const i of [3, 4]) clients[i]!.emit('node');
    // The others notice on their own: 4.x the refusal of its held poll, 2.x that of its ping, 0.9 the
    // "client not handshaken" answer to its held poll (after forwardTimeout), or on websocket the silence.
    const reasons = await Promise.all(back);
    deepStrictEqual([reasons[3], reasons[4]], ['transport close', 'transport close']);
    for (const client of clients) strictEqual(await client.ack('node'), 0, client.name);
  });
});

