// Connection state recovery across nodes with @socket.io/redis-streams-adapter (the socket.io adapter that
// supports it): a client drops off one Switchyard node and comes back on another, which replays what was
// broadcast while it was away and restores its id and rooms.
import { type ClusterNode } from '@switchyard/testing';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFleet } from './fleet.js';
import { dropRedisKeys, redisUp, uniqueKey } from './services.js';

describe.skipIf(!redisUp)('connection state recovery across nodes with @socket.io/redis-streams-adapter', () => {
  const prefix = uniqueKey('recovery');
  let nodes: ClusterNode[] = [];
  let client: Socket | undefined;
  afterEach(async () => {
    client?.disconnect();
    for (const node of nodes.splice(0)) await node.close();
  });
  afterAll(() => dropRedisKeys(`${prefix}*`));

  for (const redis of ['ioredis', 'node-redis-5']) {
    it(`with ${redis}: a client that left node 0 is restored on node 1 with what it missed`, async () => {
      nodes = await startFleet(2, { adapter: `redis-streams/${redis}`, key: `${prefix}-${redis}`, recovery: true });
      const [first, second] = nodes as [ClusterNode, ClusterNode];
      client = connect(first.url, { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 100 });
      const seen: string[] = [];
      client.on('news', (text: string) => seen.push(text));
      await new Promise<void>((resolve) => client!.once('connect', () => resolve()));
      const id = client.id;
      expect(await client.timeout(10_000).emitWithAck('join', 'desk')).toBe(true);
      await second.call('emit', {}, 'news', ['before']); // the client learns an offset to come back with
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['before']);

      // Next time the client connects, it goes to node 1.
      (client.io as unknown as { uri: string }).uri = second.url;
      client.io.engine.close();
      await expect.poll(async () => (await second.call('fetchSockets', {})).length, { timeout: 10_000 }).toBe(0);
      await second.call('emit', { to: ['desk'] }, 'news', ['while away']);
      await first.call('emit', {}, 'news', ['while away, from node 0']);

      await new Promise<void>((resolve) => client!.once('connect', () => resolve()));
      expect(client.recovered).toBe(true);
      expect(client.id).toBe(id);
      // The two broadcasts come from two processes, each appending to the stream over its own Redis
      // connection: their order in the stream (and so in the replay) is whichever append Redis got first.
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(3);
      expect(seen[0]).toBe('before');
      expect(seen.slice(1).sort()).toEqual(['while away', 'while away, from node 0']);
      const [restored] = await second.call('fetchSockets', {});
      expect(restored).toMatchObject({ id, node: 1 });
      expect(restored!.rooms.sort()).toEqual([id, 'desk'].sort());
    });
  }
});
