// Two Servers in this process, each with its own RedisCluster, behind a round-robin balancer: the
// forwarding machinery seen from inside, then everything closed, leaving no timer or listener behind.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, it } from 'vitest';
import { client, isHandshake, nextEvent, startLoadBalancer, until } from './cluster-harness.js';
import { type InProcessNode, inProcessNode } from './in-process-node.js';
import { newClient, REDIS_URL, redisAnswers, uniqueKey } from './redis-env.js';
import { startOwnRedis } from './redis-server.js';

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe.skipIf(!redisAnswers)('in one process', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  const node = (key: string): Promise<InProcessNode> => inProcessNode(key, newClient());

  /**
   * Nodes A and B on `key`, A with a subscriber that comes back `retryMs` after it drops (`dropSubscriber`
   * drops it and resolves once it closed); heartbeats long enough that the forwarding, not the heartbeat,
   * is under test.
   */
  async function nodesWithSlowSubscriber(key: string, retryMs: number, { url = REDIS_URL, heartbeatMs = 5000, forwardTimeout }: { url?: string; heartbeatMs?: number; forwardTimeout?: number } = {}) {
    const slowSub = new Redis(url, { retryStrategy: () => retryMs });
    slowSub.on('error', () => {});
    const options = { server: { pingInterval: heartbeatMs, pingTimeout: heartbeatMs }, ...(forwardTimeout !== undefined && { forwardTimeout }) };
    const a = await inProcessNode(key, newClient(url), { subClient: slowSub, ...options });
    cleanups.push(() => a.close());
    const b = await inProcessNode(key, newClient(url), options);
    cleanups.push(() => b.close());
    const dropSubscriber = async (): Promise<void> => {
      const closed = once(slowSub, 'close');
      slowSub.disconnect(true);
      await closed;
    };
    return { a, b, dropSubscriber };
  }

  /** A 4.x client whose session is B's and whose websocket lands on A, which tunnels it to B; what it hears of 'news' and 'disconnect'. */
  async function tunnelledClient(a: InProcessNode, b: InProcessNode): Promise<{ socket: ClientSocket; dropped: string[]; news: number[] }> {
    const balancer = await startLoadBalancer([a.port]);
    balancer.choose = (url) => (isHandshake(url) ? b.port : undefined);
    cleanups.push(() => balancer.close());
    const socket = await client(balancer.url, { transports: ['polling', 'websocket'] });
    cleanups.push(() => void socket.disconnect());
    await until(() => socket.io.engine.transport.name === 'websocket', 'the upgrade');
    const dropped: string[] = [];
    socket.on('disconnect', (reason) => dropped.push(reason));
    const news: number[] = [];
    socket.on('news', (n: number) => news.push(n));
    return { socket, dropped, news };
  }

  it('session ids carry the owner tag; forwarded polling and tunnelled websockets work; closing leaves nothing behind', async () => {
    const timersBefore = activeTimers();
    const key = uniqueKey('in-process');
    const a = await node(key);
    const b = await node(key);
    const balancer = await startLoadBalancer([a.port, b.port]);
    cleanups.push(() => balancer.close());

    const polling = await client(balancer.url, { transports: ['polling'] });
    const upgrading = await client(balancer.url, {});
    const owners = [a, b].map((n) => [...n.io.engine.sessions.keys()]);
    const tags = [a.cluster.router.tag, b.cluster.router.tag];
    for (const [i, ids] of owners.entries()) for (const id of ids) ok(id.startsWith(`${tags[i]}.`), `${id} is marked by its owner`);
    strictEqual(owners.flat().length, 2);
    for (let i = 0; i < 10; i++) deepStrictEqual(await polling.emitWithAck('echo', { i }), { i });
    await until(() => upgrading.io.engine.transport.name === 'websocket', 'the upgrade');
    deepStrictEqual(await upgrading.emitWithAck('echo', 'over the tunnel'), 'over the tunnel');

    polling.disconnect();
    upgrading.disconnect();
    await until(() => a.io.engine.sessionCount + b.io.engine.sessionCount === 0, 'both sessions to end on their owners');
    await balancer.close();
    cleanups.length = 0;
    await a.close();
    await b.close();
    await until(() => activeTimers() <= timersBefore, 'no timer left behind', 3000);
  });

  it('a request for a session whose owner is gone is answered "Session ID unknown" at once', async () => {
    const key = uniqueKey('gone');
    const a = await node(key);
    cleanups.push(() => a.close());
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${a.port}/socket.io/?EIO=4&transport=polling&sid=nobody.abcdef`);
    strictEqual(res.status, 400);
    deepStrictEqual(await res.json(), { code: 1, message: 'Session ID unknown' });
    ok(Date.now() - started < 2000);
    // A sid with this node's own tag is the engine's to refuse.
    const own = await fetch(`http://127.0.0.1:${a.port}/socket.io/?EIO=4&transport=polling&sid=${a.cluster.router.tag}.abcdef`);
    strictEqual(own.status, 400);
  });

  it("while a node's subscriber reconnects, nothing forwarded through it is lost: requests wait for it, the owner's answers are sent again", async () => {
    const key = uniqueKey('resubscribe');
    // Node A's subscriber connection comes back 400 ms after it drops.
    const { a, b, dropSubscriber } = await nodesWithSlowSubscriber(key, 400);
    // The session is B's; every other request goes to A, which forwards it.
    const balancer = await startLoadBalancer([a.port]);
    balancer.choose = (url) => (isHandshake(url) ? b.port : undefined);
    cleanups.push(() => balancer.close());
    const polling = await client(balancer.url, { transports: ['polling'] });
    cleanups.push(() => void polling.disconnect());
    strictEqual(await polling.emitWithAck('echo', 'before'), 'before');

    await dropSubscriber();
    // B answers the poll A holds for the client now, while nobody listens on A's channel.
    const heard = nextEvent<[number]>(polling, 'news', 2000);
    b.io.emit('news', 1);
    // Forwarded at once, B's answer to this POST (and to the held poll) would reach nobody on A's
    // channel, and the client would wait forwardTimeout (3000 ms).
    strictEqual(await polling.timeout(2000).emitWithAck('echo', 'while away'), 'while away');
    deepStrictEqual(await heard, [1]);
    ok(polling.connected);
  });

  it("a tunnelled websocket outlives its node's subscriber reconnecting: what the owner sends meanwhile arrives, in order", async () => {
    // Finding: while a node was away from Redis, the owner's tunnel data reached nobody, the owner ended
    // its side, and the client stayed "connected" to a tunnel that nothing fed any more.
    const key = uniqueKey('tunnel-resubscribe');
    const { a, b, dropSubscriber } = await nodesWithSlowSubscriber(key, 1000);
    const { socket, dropped, news } = await tunnelledClient(a, b);
    strictEqual(await socket.emitWithAck('echo', 'before'), 'before');

    await dropSubscriber();
    // B writes to the tunnel while nobody listens on A's channel.
    for (let i = 1; i <= 3; i++) b.io.emit('news', i);
    await until(() => news.length === 3, 'the news sent while A was away', 10_000);
    deepStrictEqual(news, [1, 2, 3]);
    strictEqual(await socket.emitWithAck('echo', 'after'), 'after');
    deepStrictEqual(dropped, [], 'the client never lost its connection');
  });

  it('a tunnelled websocket outlives a Redis restart: the owner\'s broadcasts right after it arrive, and the client never drops', async () => {
    const redis = await startOwnRedis();
    cleanups.push(() => redis.stop());
    const key = uniqueKey('tunnel-redis-restart');
    // The requester's subscriber comes back later than the owner's connections.
    const { a, b } = await nodesWithSlowSubscriber(key, 1500, { url: redis.url, heartbeatMs: 10_000, forwardTimeout: 10_000 });
    const { socket, dropped, news } = await tunnelledClient(a, b);

    await redis.kill();
    b.io.emit('news', 1); // while Redis is away
    await redis.start();
    await until(() => b.cluster.router.subscribed.then(() => true), 'B to be back');
    b.io.emit('news', 2); // before A hears again
    await until(() => news.length === 2, 'the news sent during and after the outage', 15_000);
    deepStrictEqual(news, [1, 2]);
    strictEqual(await socket.emitWithAck('echo', 'after'), 'after');
    deepStrictEqual(dropped, [], 'the client never lost its connection');
  });
});
