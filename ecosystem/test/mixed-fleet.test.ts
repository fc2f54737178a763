// A mixed fleet: Switchyard nodes and socket.io 4.8 nodes (the real socket.io from npm) on one
// @socket.io/redis-adapter channel, so a team can move one node at a time. The whole cluster conformance
// suite runs across them, with operations started on either kind of node. The socket.io nodes serve
// socket.io-client 4 and 2.x (allowEIO3); where the suite puts a 0.9 client on them, they get a 4.x one.
import { runClusterConformance } from '@switchyard/testing';
import { afterAll, afterEach, beforeEach, describe, it } from 'vitest';
import { startFleet } from './fleet.js';
import { dropRedisKeys, redisUp, uniqueKey } from './services.js';

const fleets = [
  { name: 'Switchyard, socket.io 4.8, Switchyard', socketIo: (i: number) => i === 1 },
  { name: 'socket.io 4.8, Switchyard, socket.io 4.8', socketIo: (i: number) => i !== 1 },
];

for (const fleet of fleets) {
  describe.skipIf(!redisUp)(`mixed fleet on @socket.io/redis-adapter: ${fleet.name}`, () => {
    const prefix = uniqueKey('mixed');
    let run = 0;
    afterAll(() => dropRedisKeys(`${prefix}*`));
    runClusterConformance(
      { describe, it, beforeEach, afterEach, afterAll },
      {
        name: fleet.name,
        startNodes: (count) =>
          startFleet(count, { adapter: 'redis/ioredis', key: `${prefix}-${run++}`, serverOf: (i) => (fleet.socketIo(i) ? 'socket.io' : 'switchyard') }),
      },
    );
  });
}
