// What a broadcast costs across nodes: one encoding per node that has members in the room, however many
// sockets it has there, and no per-socket work at all on a node that has none. Three Servers in this
// process over the real Redis, so every encoding in the cluster can be counted in one place.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, it } from 'vitest';
import { client, nextEvent, until } from './cluster-harness.js';
import { type InProcessNode, inProcessNode } from './in-process-node.js';
import { newClient, redisAnswers, uniqueKey } from './redis-env.js';

/** A Date survives the trip between nodes (a toJSON function would not): its toJSON calls are counted. */
const MARKER = Date.UTC(2001, 0, 2, 3, 4, 5);
const MARKER_JSON = new Date(MARKER).toJSON();

/** Counts the encodings of the marker Date anywhere in this process while `run` runs. */
async function countEncodings(run: () => Promise<void>): Promise<number> {
  const original = Date.prototype.toJSON;
  let count = 0;
  Date.prototype.toJSON = function (this: Date, key?: unknown): string {
    if (this.getTime() === MARKER) count++;
    return original.call(this, key);
  };
  try {
    await run();
  } finally {
    Date.prototype.toJSON = original;
  }
  return count;
}

interface PerSocketWork {
  /** Lookups of a local socket by id (what the adapter does for each socket a broadcast selects). */
  lookups: number;
  /** Packets handed to a local socket by the adapter. */
  deliveries: number;
}

/** Counts, on `node`, the adapter's per-socket work: socket lookups and deliveries. */
function spyPerSocketWork(node: InProcessNode): PerSocketWork {
  const work: PerSocketWork = { lookups: 0, deliveries: 0 };
  const nsp = node.io.of('/');
  const spied = new Set<unknown>();
  const spyOn = <S extends { deliver: (...args: never[]) => void }>(socket: S): S => {
    if (spied.has(socket)) return socket;
    spied.add(socket);
    const deliver = socket.deliver.bind(socket) as (...args: never[]) => void;
    socket.deliver = (...args: never[]) => {
      work.deliveries++;
      deliver(...args);
    };
    return socket;
  };
  // Every socket of the node, and any a lookup finds later, whichever way a regression reached it.
  for (const socket of nsp.sockets.values()) spyOn(socket);
  const lookup = nsp.localSocket.bind(nsp);
  nsp.localSocket = (id) => {
    work.lookups++;
    const socket = lookup(id);
    return socket === undefined ? undefined : spyOn(socket);
  };
  return work;
}

describe.skipIf(!redisAnswers)('the cost of a broadcast across nodes', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  async function connect(node: InProcessNode, rooms: string[]): Promise<ClientSocket> {
    const socket = await client(`http://127.0.0.1:${node.port}`, { transports: ['websocket'] });
    cleanups.push(() => void socket.disconnect());
    node.io.sockets.sockets.get(socket.id!)!.join(rooms);
    return socket;
  }

  it('one encoding per node with members, whatever its number of sockets; a node without members does no per-socket work', async () => {
    const key = uniqueKey('cost');
    const [a, b, c] = [await inProcessNode(key, newClient()), await inProcessNode(key, newClient()), await inProcessNode(key, newClient())];
    cleanups.push(() => a.close(), () => b.close(), () => c.close());
    await until(async () => (await Promise.all([a, b, c].map((n) => n.io.of('/').adapter.serverCount()))).every((n) => n === 3), 'the three nodes to meet');

    // A: one member of "solo" and "pair". B: one member of "pair", three more of "crowd" (with the "pair" one).
    // C: two sockets in neither room, in "far" only.
    const onA = await connect(a, ['solo', 'pair', 'crowd']);
    const onB = [await connect(b, ['pair', 'crowd']), ...(await Promise.all([1, 2, 3].map(() => connect(b, ['crowd']))))];
    const onC = await Promise.all([1, 2].map(() => connect(c, ['far'])));
    const marker = new Date(MARKER);

    /** Broadcasts from C (which has no member of the room) and waits until every member got it. */
    const fromC = (room: string, members: ClientSocket[]): Promise<number> =>
      countEncodings(async () => {
        const got = Promise.all(members.map((socket) => nextEvent<[string, number]>(socket, 'news')));
        c.io.to(room).emit('news', marker, 1);
        for (const args of await got) deepStrictEqual(args, [MARKER_JSON, 1]);
      });

    const solo = await fromC('solo', [onA]); // the sender's own share, and A's encoding
    const pair = await fromC('pair', [onA, onB[0]!]); // ... and B's, for one socket
    const perNode = pair - solo;
    ok(perNode > 0, `a node's encoding is counted (solo ${solo}, pair ${pair})`);
    // Four sockets on B cost what one did.
    strictEqual(await fromC('crowd', [onA, ...onB]), pair, 'B encodes once for its four sockets');
    // With C's two sockets too: one more encoding, not two.
    for (const socket of onC) c.io.sockets.sockets.get(socket.id!)!.join('crowd');
    strictEqual(await fromC('crowd', [onA, ...onB, ...onC]), pair + perNode, 'C encodes once for its two sockets');

    // A node that has no member of the room: no socket looked up, nothing delivered, nothing encoded.
    const workB = spyPerSocketWork(b);
    const workC = spyPerSocketWork(c);
    strictEqual(await fromC('solo', [onA]), solo, 'only A encodes');
    // B handled that broadcast before this one (one channel, in order); C sent it.
    const farSeen = Promise.all(onC.map((socket) => nextEvent(socket, 'sync')));
    b.io.to('far').emit('sync');
    await farSeen;
    deepStrictEqual(workB, { lookups: 0, deliveries: 0 }, 'B did no per-socket work for a room it has no member of');
    // C did exactly its two deliveries for "sync", and nothing for "solo".
    deepStrictEqual(workC, { lookups: 2, deliveries: 2 }, 'C did per-socket work only for its own members');
    // The spies see B's work when it has some: the counts above could have failed.
    const crowdSeen = Promise.all(onB.map((socket) => nextEvent(socket, 'again')));
    a.io.to('crowd').emit('again');
    await crowdSeen;
    deepStrictEqual(workB, { lookups: 4, deliveries: 4 });
  });
});
