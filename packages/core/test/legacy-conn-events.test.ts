// A 0.9 session emits engine.io's `packet` and `packetCreate` on `socket.conn` while they are listened to,
// with the 0.9 text of each packet, so that add-ons counting packets (metrics) see every generation.
import { describe, expect, it } from 'vitest';
import type { EnginePacketEvent, LegacySession, Socket } from '../src/index.js';
import { eventOf, useLegacy, V09_NODE_TRANSPORTS } from './legacy-helpers.js';

const { start } = useLegacy();

describe.each(V09_NODE_TRANSPORTS)('socket.conn packet events of a 0.9 client over %s', (transport) => {
  it('packetCreate reports what the server queues, packet what the client sent, as 0.9 text', async () => {
    const h = await start();
    const client = await h.connect('/', transport);
    const [socket] = [...h.io.sockets.sockets.values()] as Socket[];
    const conn = socket!.conn as LegacySession;
    const created: EnginePacketEvent[] = [];
    const received: EnginePacketEvent[] = [];
    conn.on('packetCreate', (packet) => created.push(packet));
    conn.on('packet', (packet) => received.push(packet));

    const heard = new Promise<unknown>((resolve) => socket!.once('hello', resolve));
    client.emit('hello', 'there');
    expect(await heard).toBe('there');
    const back = eventOf(client, 'back');
    socket!.emit('back', 1);
    await back;

    expect(received).toContainEqual({ type: 'message', data: '5:::{"name":"hello","args":["there"]}' });
    expect(created).toContainEqual({ type: 'message', data: '5:::{"name":"back","args":[1]}', options: { compress: true } });
  });
});
