import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@switchyard/core';
import { type GenerationClient, socketIoClientV09, socketIoClientV2, socketIoClientV4, until } from '@switchyard/testing';
import { afterEach, expect, it } from 'vitest';
import { instrument } from '../src/index.js';

const clients: GenerationClient[] = [];
let io: Server | undefined;

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await io?.close();
});

/** Every open session of both engines. */
function sessions(server: Server): { listenerCount(event: string): number }[] {
  return [...server.engine.sessions.values(), ...(server.legacyEngine?.sessions.values() ?? [])];
}

const OBSERVED = ['packet', 'packetCreate'] as const;

it('adds no listener to the engines or sessions unless installed, and removes its own on close', async () => {
  const http = createServer();
  io = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const connectAll = async (): Promise<void> => {
    for (const client of [socketIoClientV4, socketIoClientV2, socketIoClientV09]) {
      clients.push(await client.connect({ url, path: '/socket.io', transports: ['websocket'] }));
    }
  };
  const engineListeners = (): number[] => [
    io!.engine.listenerCount('connection'),
    io!.engine.listenerCount('connection_error'),
    io!.legacyEngine!.listenerCount('connection'),
    io!.listenerCount('ack_timeout'),
  ];
  const before = engineListeners();
  expect(before[1]).toBe(0);
  expect(before[3]).toBe(0);

  await connectAll();
  await until(() => sessions(io!).length === 3, 'three sessions');
  for (const session of sessions(io!)) for (const event of OBSERVED) expect(session.listenerCount(event)).toBe(0);

  const metrics = instrument(io);
  await connectAll();
  await until(() => sessions(io!).length === 6, 'six sessions');
  const observed = sessions(io).filter((session) => session.listenerCount('packet') === 1 && session.listenerCount('packetCreate') === 1);
  expect(observed).toHaveLength(3); // the ones connected after instrument()

  metrics.close();
  expect(engineListeners()).toEqual(before);
  for (const session of sessions(io)) for (const event of OBSERVED) expect(session.listenerCount(event)).toBe(0);
  expect((await metrics.registry.metrics()).trim()).toBe('');
});
