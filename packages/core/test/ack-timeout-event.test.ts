// The Server's `ack_timeout` event: one per client that stays silent past a timeout(ms), for a socket's emit
// and for each client of a broadcast; built only while someone listens.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AckTimeout, InMemoryCluster } from '../src/index.js';
import { until, useSio } from './sio-helpers.js';

const sio = useSio();

afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts every EventEmitter emit of `event`, whichever emitter makes it. */
function countEmits(event: string): { readonly count: number } {
  const emit = EventEmitter.prototype.emit;
  const counter = { count: 0 };
  vi.spyOn(EventEmitter.prototype, 'emit').mockImplementation(function (this: EventEmitter, ev: unknown, ...args: unknown[]) {
    if (ev === event) counter.count++;
    return emit.call(this, ev as string | symbol, ...args);
  });
  return counter;
}

describe('ack_timeout', () => {
  it('fires once per silent client, for a socket emit, emitWithAck and a broadcast, with its namespace and id', async () => {
    const h = await sio.start();
    const seen: AckTimeout[] = [];
    h.io.on('ack_timeout', (timeout) => seen.push(timeout));
    // the Server's own event, like new_namespace: not a listener of the main namespace
    expect(h.io.sockets.listenerCount('ack_timeout')).toBe(0);
    expect(h.io.listenerCount('ack_timeout')).toBe(1);

    h.io.of('/chat');
    const [, main] = await h.pair('/', { transports: ['websocket'] });
    const [answering, chat] = await h.pair('/chat', { transports: ['websocket'] });
    answering.on('ask', (ack: (v: string) => void) => ack('yes'));

    const [err] = await new Promise<unknown[]>((resolve) => main.timeout(50).emit('ask', (...args: unknown[]) => resolve(args)));
    expect(err).toBeInstanceOf(Error);
    await expect(main.timeout(50).emitWithAck('ask')).rejects.toThrow('operation has timed out');
    expect(await chat.timeout(2000).emitWithAck('ask')).toBe('yes');
    expect(seen).toEqual([
      { namespace: '/', socketId: main.id, broadcast: false },
      { namespace: '/', socketId: main.id, broadcast: false },
    ]);

    seen.length = 0;
    const [broadcastErr, responses] = await new Promise<unknown[]>((resolve) =>
      h.io.timeout(50).emit('ask', (...args: unknown[]) => resolve(args)),
    );
    expect(broadcastErr).toBeInstanceOf(Error);
    expect(responses).toEqual([]);
    await until(() => seen.length === 1, 'the socket\'s part of the broadcast timed out');
    expect(seen).toEqual([{ namespace: '/', socketId: main.id, broadcast: true }]);

    const [, chatAnswers] = await new Promise<unknown[]>((resolve) => h.io.of('/chat').timeout(2000).emit('ask', (...args: unknown[]) => resolve(args)));
    expect(chatAnswers).toEqual(['yes']);
    expect(seen).toHaveLength(1);
  });

  it('is not built or emitted while nobody listens, and is once someone does', async () => {
    const h = await sio.start();
    const [, socket] = await h.pair('/', { transports: ['websocket'] });
    const emits = countEmits('ack_timeout');

    await expect(socket.timeout(30).emitWithAck('ask')).rejects.toThrow('operation has timed out');
    await new Promise<unknown[]>((resolve) => h.io.timeout(30).emit('ask', (...args: unknown[]) => resolve(args)));
    // The socket's part of the broadcast times out just after the broadcast's callback: an emit timed out
    // later than it was set up comes after it.
    await expect(socket.timeout(30).emitWithAck('ask')).rejects.toThrow('operation has timed out');
    expect(emits.count).toBe(0);
    expect(h.io.listenerCount('ack_timeout')).toBe(0);

    const listener = vi.fn();
    h.io.on('ack_timeout', listener);
    await expect(socket.timeout(30).emitWithAck('ask')).rejects.toThrow('operation has timed out');
    expect(emits.count).toBe(1);
    expect(listener).toHaveBeenCalledTimes(1);
    h.io.off('ack_timeout', listener);
    await expect(socket.timeout(30).emitWithAck('ask')).rejects.toThrow('operation has timed out');
    expect(emits.count).toBe(1);
  });

  it('is told by the node the silent client is connected to, for a broadcast from another node', async () => {
    const cluster = new InMemoryCluster({ heartbeatInterval: 100 });
    const one = await sio.start({ adapter: cluster.adapter });
    const two = await sio.start({ adapter: cluster.adapter });
    const onOne: AckTimeout[] = [];
    const onTwo: AckTimeout[] = [];
    one.io.on('ack_timeout', (timeout) => onOne.push(timeout));
    two.io.on('ack_timeout', (timeout) => onTwo.push(timeout));
    const [, silent] = await two.pair('/', { transports: ['websocket'] });
    await until(async () => (await one.io.sockets.adapter.serverCount()) === 2, 'two nodes');

    const [err] = await new Promise<unknown[]>((resolve) => one.io.timeout(100).emit('ask', (...args: unknown[]) => resolve(args)));
    expect(err).toBeInstanceOf(Error);
    await until(() => onTwo.length === 1, 'the silent client timed out on its node');
    expect(onTwo).toEqual([{ namespace: '/', socketId: silent.id, broadcast: true }]);
    expect(onOne).toEqual([]);
  });
});
