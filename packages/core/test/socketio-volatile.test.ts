// Volatile emits, judged as engine.io judges them: a volatile packet leaves only when the connection could
// write it at once (polling: a GET waits and nothing is queued for it yet; websocket: nothing is queued and
// the previous write has left). Anything emitted in the same tick after another packet is dropped, so is
// anything emitted while the last write is still on its way. Whatever is dropped is proven absent by a
// regular `end` emitted after it, which arrives after anything sent before it.
import { describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { type ClientSocket, drained, record, TRANSPORTS, until, useSio } from './sio-helpers.js';
import { V2_TRANSPORTS, type V2Socket, useV2Clients } from './sio2-helpers.js';

const sio = useSio();
const v2 = useV2Clients();

/**
 * Waits until the server could write to this socket's connection at once (a volatile packet would go).
 * Each test also ends with it, so that a polling client's next GET is held when the server closes.
 */
async function idle(socket: Socket): Promise<void> {
  await until(() => socket.conn.writable, 'an idle connection');
}

/** The bytes of a binary argument as the client got it. */
function bytes(value: unknown): number[] {
  return [...(value as Uint8Array)];
}

describe.each(TRANSPORTS)('volatile emits over $name', ({ options, final }) => {
  /** A connected client recording its `v` events, and its server-side socket, once the connection is idle. */
  const idlePair = async (): Promise<{ client: ClientSocket; socket: Socket; seen: unknown[][] }> => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    const seen = record(client, 'v');
    await idle(socket);
    return { client, socket, seen };
  };

  it('socket.volatile.emit on an idle connection arrives, binary included', async () => {
    const { client, socket, seen } = await idlePair();
    await drained([client], () => {
      socket.volatile.emit('v', 'text');
      socket.emit('end');
    });
    await idle(socket);
    await drained([client], () => {
      socket.volatile.emit('v', Buffer.from([1, 2, 3]));
      socket.emit('end');
    });
    expect(seen.map(([value]) => (typeof value === 'string' ? value : bytes(value)))).toEqual(['text', [1, 2, 3]]);
    await idle(socket);
  });

  it('a volatile emit right after a regular one is dropped; the regular ones around it arrive', async () => {
    const { client, socket, seen: dropped } = await idlePair();
    const regular = record(client, 'r');
    await drained([client], () => {
      socket.emit('r', 1);
      socket.volatile.emit('v', 'dropped');
      socket.emit('r', 2);
      socket.emit('end');
    });
    expect(regular).toEqual([[1], [2]]);
    expect(dropped).toEqual([]);
    await idle(socket);
  });

  it('of two volatile emits in one tick only the first goes, binary included', async () => {
    const { client, socket, seen } = await idlePair();
    await drained([client], () => {
      socket.volatile.emit('v', Buffer.from([1, 2, 3]));
      socket.volatile.emit('v', Buffer.from([4, 5, 6]));
      socket.emit('end');
    });
    expect(seen.map(([value]) => bytes(value))).toEqual([[1, 2, 3]]);
    await idle(socket);
  });

  it('a volatile emit while the last write is still on its way is dropped, and the next idle one goes', async () => {
    const { client, socket, seen } = await idlePair();
    await drained([client], () => {
      socket.emit('r');
      // Runs after this tick's write went out (polling: the GET is answered; websocket: ws has not called back).
      process.nextTick(() => {
        socket.volatile.emit('v', 'dropped');
        socket.emit('end');
      });
    });
    await idle(socket);
    await drained([client], () => {
      socket.volatile.emit('v', 'delivered');
      socket.emit('end');
    });
    expect(seen).toEqual([['delivered']]);
    await idle(socket);
  });

  it('io.volatile and nsp.volatile broadcasts: the first goes to every idle client, what follows in the tick does not', async () => {
    const h = await sio.start();
    const chat = h.io.of('/chat');
    const [a, sa] = await h.pair('/', options, final);
    const [b, sb] = await h.pair('/', options, final);
    const [c, sc] = await h.pair('/chat', options, final);
    const seen = [record(a, 'v'), record(b, 'v')];
    const chatRegular = record(c, 'r');
    const chatVolatile = record(c, 'v');
    await Promise.all([idle(sa), idle(sb), idle(sc)]);
    await drained([a, b, c], () => {
      h.io.volatile.emit('v', Buffer.from([1, 2, 3]));
      h.io.volatile.emit('v', Buffer.from([4, 5, 6]));
      chat.emit('r', 1);
      chat.volatile.emit('v', 'dropped');
      h.io.emit('end');
      chat.emit('end');
    });
    for (const events of seen) expect(events.map(([value]) => bytes(value))).toEqual([[1, 2, 3]]);
    expect(chatRegular).toEqual([[1]]);
    expect(chatVolatile).toEqual([]);
    await Promise.all([idle(sa), idle(sb), idle(sc)]);
  });
});

/** Resolves once a 2.x client got `end`, sent by `send` after what the test wants delivered. */
async function drainedV2(client: V2Socket, send: () => void): Promise<void> {
  const end = new Promise<void>((resolve) => client.once('end', () => resolve()));
  send();
  await end;
}

describe.each(V2_TRANSPORTS)('volatile emits to a socket.io-client 2.x over $name', ({ options }) => {
  it('only what the connection could write at once goes: the first of a tick, binary included', async () => {
    const h = await sio.start();
    const client = await v2.connect(h.url, options);
    const socket = h.io.sockets.sockets.get(client.id) as Socket;
    const seen: unknown[] = [];
    client.on('v', (value: unknown) => seen.push(typeof value === 'string' ? value : bytes(value)));
    await idle(socket);
    await drainedV2(client, () => {
      socket.volatile.emit('v', Buffer.from([1, 2, 3]));
      socket.volatile.emit('v', Buffer.from([4, 5, 6]));
      socket.emit('end');
    });
    await idle(socket);
    await drainedV2(client, () => {
      socket.emit('r');
      h.io.volatile.emit('v', 'dropped');
      socket.emit('end');
    });
    await idle(socket);
    await drainedV2(client, () => {
      h.io.volatile.emit('v', 'broadcast');
      socket.emit('end');
    });
    expect(seen).toEqual([[1, 2, 3], 'broadcast']);
    await idle(socket);
  });
});
