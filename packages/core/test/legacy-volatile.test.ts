// Volatile emits to socket.io-client 0.9.16 follow the rule of the other generations: a volatile packet
// leaves only when the session could write it at once (xhr-polling: a GET waits and nothing is queued for
// it; websocket: nothing is queued and the last write has left). Whatever is dropped is proven absent by
// a regular `end` emitted after it.
import { describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { eventOf, handshake, stream, useLegacy, V09_NODE_TRANSPORTS, type V09Socket } from './legacy-helpers.js';
import { until } from './sio-helpers.js';

const { start } = useLegacy();

/** Waits until the server could write to this socket's session at once; tests end with it too. */
async function idle(socket: Socket): Promise<void> {
  await until(() => socket.conn.writable, 'an idle session');
}

/** Resolves once the client got `end`, emitted by `send` after what the test wants delivered. */
async function drained(client: V09Socket, send: () => void): Promise<void> {
  const end = eventOf(client, 'end');
  send();
  await end;
}

describe.each(V09_NODE_TRANSPORTS)('volatile emits to socket.io-client 0.9 over %s', (transport) => {
  it('the first volatile emit of a tick on an idle session goes; one after it, or after a regular emit, does not', async () => {
    const h = await start();
    const client = await h.connect('/', transport);
    const [socket] = [...h.io.sockets.sockets.values()] as Socket[];
    const seen: unknown[] = [];
    const regular: unknown[] = [];
    client.on('v', (value: unknown) => seen.push(value));
    client.on('r', (value: unknown) => regular.push(value));
    await idle(socket!);
    await drained(client, () => {
      socket!.volatile.emit('v', 1);
      socket!.volatile.emit('v', 'dropped');
      socket!.emit('end');
    });
    await idle(socket!);
    await drained(client, () => {
      socket!.emit('r', 1);
      h.io.volatile.emit('v', 'dropped');
      socket!.emit('r', 2);
      socket!.emit('end');
    });
    await idle(socket!);
    await drained(client, () => {
      h.io.volatile.emit('v', 'broadcast');
      socket!.emit('end');
    });
    expect(seen).toEqual([1, 'broadcast']);
    expect(regular).toEqual([1, 2]);
    await idle(socket!);
  });

  it('a volatile emit while the last write is still on its way is dropped', async () => {
    const h = await start();
    const client = await h.connect('/', transport);
    const [socket] = [...h.io.sockets.sockets.values()] as Socket[];
    const seen: unknown[] = [];
    client.on('v', (value: unknown) => seen.push(value));
    await idle(socket!);
    await drained(client, () => {
      socket!.emit('r');
      // Runs after this tick's write went out (xhr-polling: the GET is answered; websocket: ws has not called back).
      process.nextTick(() => {
        socket!.volatile.emit('v', 'dropped');
        socket!.emit('end');
      });
    });
    expect(seen).toEqual([]);
    await idle(socket!);
  });
});

describe.each(['htmlfile', 'xhr-multipart'])('volatile emits over the 0.9 %s transport (a raw held GET)', (name) => {
  it('only the first volatile emit of an idle tick goes, and none while the last chunk is being written', async () => {
    const h = await start();
    const connected = new Promise<Socket>((resolve) => h.io.once('connection', resolve));
    const sid = await handshake(h.url);
    const held = await stream(`${h.url}/socket.io/1/${name}/${sid}?t=1`);
    const socket = await connected;
    const count = (text: string): number => held.body().split(text).length - 1;
    await idle(socket);
    socket.volatile.emit('v', 'first');
    socket.volatile.emit('v', 'dropped');
    socket.emit('marker-1');
    await until(() => count('marker-1') === 1, 'marker-1');
    await idle(socket);
    socket.emit('r');
    process.nextTick(() => {
      socket.volatile.emit('v', 'dropped');
      socket.emit('marker-2');
    });
    await until(() => count('marker-2') === 1, 'marker-2');
    expect(count('first')).toBe(1);
    expect(count('dropped')).toBe(0);
    held.end();
  });
});
