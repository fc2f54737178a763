// Timeouts never leak listeners or timers: broadcast acks that time out, cluster requests that time out
// on a dead node, and a Redis restart (with a polling client forwarded between nodes throughout) leave
// the ioredis clients' listeners as they were and every timer they started ended. Three Servers in this
// process, on a redis-server of the test's own, so every timer and listener can be seen.
import { deepStrictEqual, ok, rejects, strictEqual } from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { afterEach, describe, it } from 'vitest';
import { client, nextEvent, sleep, startLoadBalancer, until } from './cluster-harness.js';
import { connectAny, RECONNECTING } from './generation-clients.js';
import { type InProcessNode, inProcessNode } from './in-process-node.js';
import { newClient, redisAnswers, uniqueKey } from './redis-env.js';
import { startOwnRedis } from './redis-server.js';

/** Delays no other timer of the process uses, so a timer left running by each path is recognised. */
const ACK_TIMEOUT = 444;
/** The adapter keeps a broadcast-with-ack's request for its timeout plus one second. */
const ACK_REQUEST_LIFE = ACK_TIMEOUT + 1000;
const REQUEST_TIMEOUT = 777;
const FORWARD_TIMEOUT = 3333;
const WATCHED = new Map([
  [ACK_TIMEOUT, 'ack timeout'],
  [ACK_REQUEST_LIFE, 'cluster ack request'],
  [REQUEST_TIMEOUT, 'cluster request'],
  [FORWARD_TIMEOUT, 'forwarded request'],
]);

/** Every setTimeout of the process from now on that has neither fired nor been cleared, with its delay. */
function trackTimeouts(): { live: Map<NodeJS.Timeout, number>; restore(): void } {
  const live = new Map<NodeJS.Timeout, number>();
  const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
  const tracked = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): NodeJS.Timeout => {
    const timer = realSet(
      (...given: unknown[]) => {
        live.delete(timer);
        callback(...given);
      },
      ms,
      ...args,
    );
    live.set(timer, ms ?? 0);
    return timer;
  };
  globalThis.setTimeout = Object.assign(tracked, { __promisify__: realSet.__promisify__ }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: NodeJS.Timeout | string | number | undefined) => {
    if (typeof timer === 'object') live.delete(timer);
    realClear(timer);
  }) as typeof clearTimeout;
  return {
    live,
    restore() {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

function listeners(client: Redis): Record<string, number> {
  return Object.fromEntries(client.eventNames().map((name) => [String(name), client.listenerCount(name)]));
}

describe.skipIf(!redisAnswers)('timeouts leave nothing behind', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  it('after ack timeouts, cluster request timeouts on a dead node and a Redis restart', async () => {
    const timers = trackTimeouts();
    cleanups.push(() => timers.restore());
    const redis = await startOwnRedis();
    cleanups.push(() => redis.stop());
    const key = uniqueKey('no-leaks');
    const connections = [0, 1, 2].map(() => ({ client: newClient(redis.url), subClient: newClient(redis.url) }));
    const nodes: InProcessNode[] = [];
    for (const { client: redisClient, subClient } of connections) {
      const node = await inProcessNode(key, redisClient, { subClient, requestTimeout: REQUEST_TIMEOUT, forwardTimeout: FORWARD_TIMEOUT });
      nodes.push(node);
      cleanups.push(() => node.close());
    }
    const [a, b, c] = nodes as [InProcessNode, InProcessNode, InProcessNode];
    b.io.on('who', (ack: (answer: string) => void) => ack('b'));
    c.io.on('who', (ack: (answer: string) => void) => ack('c'));
    await until(async () => (await a.io.of('/').adapter.serverCount()) === 3, 'the three nodes to meet');

    // Clients that never answer 'question', one on A and one on B, and a polling client whose requests
    // alternate between A and B.
    const onA = await client(`http://127.0.0.1:${a.port}`, { transports: ['websocket'] });
    const onB = await client(`http://127.0.0.1:${b.port}`, { transports: ['websocket'] });
    const balancer = await startLoadBalancer([a.port, b.port]);
    const roaming = await connectAny(balancer.url, { generation: '4.x', transport: 'polling' }, RECONNECTING);
    cleanups.push(
      () => balancer.close(),
      () => roaming.close(),
      () => void onB.disconnect(),
      () => void onA.disconnect(),
    );
    strictEqual(await roaming.ack('echo', 'before'), 'before');

    const watched = (): string[] => [...timers.live.values()].flatMap((ms) => WATCHED.get(ms) ?? []);
    const [aClient, bClient] = connections as [(typeof connections)[0], (typeof connections)[0]];
    const listenersBefore = [aClient.client, aClient.subClient, bClient.client, bClient.subClient].map(listeners);
    // Ping timers come and go: the most seen over a second is the baseline.
    let timersBefore = 0;
    let activeBefore = 0;
    for (let i = 0; i < 20; i++) {
      timersBefore = Math.max(timersBefore, timers.live.size);
      activeBefore = Math.max(activeBefore, activeTimers());
      await sleep(50);
    }
    // The roaming client's held poll is forwarded, so one forwarded request may be waiting; nothing else.
    deepStrictEqual(watched().filter((what) => what !== 'forwarded request'), [], 'no other watched timer runs before the test');

    // 1. Broadcast acks that time out, across nodes.
    for (let i = 0; i < 3; i++) {
      await rejects(a.io.timeout(ACK_TIMEOUT).emitWithAck('question'), /timed out|timeout/i);
    }
    ok(watched().includes('cluster ack request'), 'the tracker sees the cluster ack requests');

    // 2. Cluster requests that time out: C dies (its Redis connections drop), and a node that is stuck
    // (subscribed to the namespace's request channel, it never answers) is still counted.
    for (const connection of connections.slice(2)) {
      connection.client.disconnect();
      connection.subClient.disconnect();
    }
    const stuck = newClient(redis.url);
    cleanups.push(() => stuck.disconnect());
    await stuck.subscribe(`${key}-request#/#`);
    await until(async () => (await a.io.of('/').adapter.serverCount()) === 3, 'the stuck node to be counted');
    for (let i = 0; i < 3; i++) {
      await rejects(a.io.serverSideEmitWithAck('who'), { code: 'ERR_REALTIME_CLUSTER_TIMEOUT' });
      await rejects(a.io.fetchSockets(), { code: 'ERR_REALTIME_CLUSTER_TIMEOUT' });
    }

    // 3. Redis restarts; meanwhile a request times out and the roaming client's forwarding fails.
    await redis.kill();
    // The nodes cannot be counted (a Redis error), or were counted just before (a timeout).
    await rejects(a.io.serverSideEmitWithAck('who'));
    await sleep(500);
    await redis.start();
    await until(
      async () => {
        const got = nextEvent(onB, 'back', 200).then(
          () => true,
          () => false,
        );
        a.io.emit('back');
        return got;
      },
      'broadcasts from A to reach B again',
      15_000,
    );
    await until(() => roaming.connected, 'the roaming client to be connected again', 15_000);
    strictEqual(await roaming.ack('echo', 'after'), 'after');
    // Once it leaves, none of its requests is waiting any more.
    roaming.close();
    await balancer.close();

    // Everything started on the way has ended by itself; the listeners are those there were.
    await until(() => watched().length === 0, `the watched timers to end (${watched().join(', ')} running when the wait began)`, ACK_REQUEST_LIFE + FORWARD_TIMEOUT);
    await until(() => timers.live.size <= timersBefore, `the timers to be back to ${timersBefore} (${timers.live.size} when the wait began)`, 5000);
    await until(() => activeTimers() <= activeBefore, `the active Timeout resources to be back to ${activeBefore}`, 5000);
    deepStrictEqual([aClient.client, aClient.subClient, bClient.client, bClient.subClient].map(listeners), listenersBefore);
  });
});
