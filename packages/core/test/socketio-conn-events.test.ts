// engine.io's events on `socket.conn`, which socket.io apps and add-ons (metrics, the Admin UI) listen to:
// the packets going out (with their compress flag and a broadcast's prepared frame) and coming in, the
// flushes, and the upgrade with its transport.
import { describe, expect, it } from 'vitest';
import type { EnginePacketEvent } from '../src/engine/packet-events.js';
import type { Session } from '../src/index.js';
import { once, TRANSPORTS, until, useSio } from './sio-helpers.js';

/** The Engine.IO session of a 4.x client's socket. */
const connOf = (socket: { conn: unknown }): Session => socket.conn as Session;

const sio = useSio();

describe.each(TRANSPORTS)('socket.conn events, over $name', ({ options, final }) => {
  it('packetCreate carries compress: true by default and false after compress(false)', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    const created: EnginePacketEvent[] = [];
    connOf(socket).on('packetCreate', (packet) => created.push(packet));
    const got = once<[string]>(client, 'second');
    socket.emit('first', 1);
    socket.compress(false).emit('second', 2);
    await got;
    expect(created.map((p) => [p.type, p.data, p.options?.compress])).toEqual([
      ['message', '2["first",1]', true],
      ['message', '2["second",2]', false],
    ]);
  });

  it('packet and data report what the client sent; flush and drain bracket each write', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    const incoming: EnginePacketEvent[] = [];
    const data: unknown[] = [];
    connOf(socket).on('packet', (packet) => incoming.push(packet));
    connOf(socket).on('data', (d) => data.push(d));
    const events: string[] = [];
    connOf(socket).on('flush', (packets) => events.push(`flush:${packets.map((p) => p.type).join(',')}`));
    connOf(socket).on('drain', () => events.push('drain'));
    const heard = once(socket, 'hello');
    client.emit('hello', 'there');
    await heard;
    expect(incoming).toContainEqual({ type: 'message', data: '2["hello","there"]' });
    expect(data).toContain('2["hello","there"]');
    const back = once(client, 'back');
    socket.emit('back');
    await back;
    expect(events).toContain('flush:message');
    expect(events[events.indexOf('flush:message') + 1]).toBe('drain');
  });
});

describe('socket.conn events of a broadcast and an upgrade', () => {
  it('a broadcast over websocket hands out its frame, built once, as options.wsPreEncodedFrame', async () => {
    const h = await sio.start();
    const pairs = await Promise.all([1, 2].map(() => h.pair('/', { transports: ['websocket'] }, 'websocket')));
    const frames = pairs.map(([, socket]) => new Promise<EnginePacketEvent>((resolve) => connOf(socket).once('packetCreate', resolve)));
    const received = pairs.map(([client]) => once(client, 'news'));
    h.io.compress(false).emit('news', 'hi');
    const [a, b] = await Promise.all(frames);
    await Promise.all(received);
    expect(a!.options?.compress).toBe(false);
    expect(Array.isArray(a!.options?.wsPreEncodedFrame)).toBe(true);
    expect(Buffer.concat(a!.options!.wsPreEncodedFrame as Buffer[]).toString('latin1')).toContain('42["news","hi"]');
    // one frame for every socket of the broadcast, not one each, and one options object, as socket.io's
    expect(b!.options?.wsPreEncodedFrame).toBe(a!.options?.wsPreEncodedFrame);
    expect(b!.options).toBe(a!.options);
  });

  it('upgrading and upgrade hand the transport itself, as engine.io does', async () => {
    const h = await sio.start();
    const seen: Array<[string, string, boolean]> = [];
    h.io.on('connection', (socket) => {
      connOf(socket).on('upgrading', (transport) => seen.push(['upgrading', transport.name, transport === connOf(socket).transport]));
      connOf(socket).on('upgrade', (transport) => seen.push(['upgrade', transport.name, transport === connOf(socket).transport]));
    });
    const client = await h.connect('/', { transports: ['polling', 'websocket'] }, 'websocket');
    expect(client.io.engine.transport.name).toBe('websocket');
    await until(() => seen.length === 2, 'the server side of the upgrade');
    expect(seen).toEqual([
      ['upgrading', 'websocket', false],
      ['upgrade', 'websocket', true],
    ]);
  });
});
