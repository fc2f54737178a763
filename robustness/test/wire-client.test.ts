// The wire clients themselves, against an in-process Server: every generation over both transports joins
// namespaces, gets acks and server events, and is told when the server disconnects it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@switchyard/core';
import { until } from '@switchyard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { WireClient } from '../src/wire/wire-client.mjs';
// @ts-expect-error plain JavaScript module without types
import { pollingAgent } from '../src/wire/wire-links.mjs';

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, pingInterval: 300, pingTimeout: 5000, protocol09: { heartbeatInterval: 300, heartbeatTimeout: 5000, closeTimeout: 5000, pollingDuration: 1000 } });
let port = 0;

beforeAll(async () => {
  io.on('connection', (socket) => {
    socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
    socket.on('kick', () => socket.disconnect());
    socket.emit('hello', socket.id.length > 0);
  });
  io.of('/chat').on('connection', (socket) => socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack({ chat: value })));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  port = (httpServer.address() as AddressInfo).port;
});

afterAll(async () => {
  await io.close();
  pollingAgent.destroy();
});

for (const generation of ['eio4', 'eio3', '0.9']) {
  for (const transport of ['websocket', 'polling']) {
    it(`${generation} over ${transport}: namespaces, acks, events, heartbeats and a server disconnect`, async () => {
      const events: unknown[] = [];
      const onEvent = (_nsp: string, name: string, args: unknown[]) => events.push([name, ...args]);
      const client = await WireClient.connect({ port, generation, transport, namespaces: ['/', '/chat'], onEvent });
      expect(await client.emitWithAck('/', 'echo', [{ a: [1, 'é'] }])).toEqual([{ a: [1, 'é'] }]);
      expect(await client.emitWithAck('/chat', 'echo', [2])).toEqual([{ chat: 2 }]);
      // Heartbeats go on (pings answered, or sent by a v3 client) and the server keeps the client.
      await until(() => client.heartbeats >= 3, 'three heartbeats');
      expect(await client.emitWithAck('/', 'echo', ['still here'])).toEqual(['still here']);
      const closed = new Promise((resolve) => client.once('close', resolve));
      client.send('/', 'kick');
      expect(String(await closed)).toMatch(/disconnect/);
      expect(events).toContainEqual(['hello', true]);
    }, 30_000);
  }
}
