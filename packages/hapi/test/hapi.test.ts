import { readFile } from 'node:fs/promises';
import Boom from '@hapi/boom';
import { Server as HapiServer, type Request } from '@hapi/hapi';
import { Server } from '@switchyard/core';
import { clientGenerations, runAdapterConformance } from '@switchyard/testing';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { switchyard } from '../src/index.js';

/** A hapi auth scheme for the suite: `Bearer NAME` is NAME, `Bearer nobody` is invalid, no header is missing credentials. */
function bearer(server: HapiServer): void {
  server.auth.scheme('bearer', () => ({
    authenticate: (request, h) => {
      const user = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
      if (user === undefined) throw Boom.unauthorized(null, 'Bearer');
      if (user === 'nobody') throw Boom.unauthorized('who are you?', 'Bearer');
      return h.authenticated({ credentials: { user } });
    },
  }));
  server.auth.strategy('bearer', 'bearer');
}

async function createHapi(io: Server, mode: 'optional' | 'required' = 'optional'): Promise<HapiServer> {
  const server = new HapiServer({ host: '127.0.0.1', port: 0 });
  bearer(server);
  server.route({ method: 'GET', path: '/health', handler: () => 'ok' });
  await server.register({ plugin: switchyard, options: { io, auth: { strategy: 'bearer', mode } } });
  await server.start();
  return server;
}

const userOf = (io: Server, socket: Parameters<Server['requestOf']>[0]): unknown => io.requestOf<Request>(socket).auth.credentials?.user;

runAdapterConformance(
  { describe, it, beforeEach, afterEach, skip: it.skip },
  {
    name: 'hapi 21',
    createApp: async ({ io }) => {
      const server = await createHapi(io);
      return { server: server.listener, close: () => server.stop(), userOf: (socket) => userOf(io, socket) };
    },
  },
);

describe('hapi: its own cases', () => {
  let server: HapiServer;
  afterEach(async () => {
    await server.stop();
  });

  it('a required auth strategy guards the handshake over polling and websocket (every generation; the ones that send headers get in)', async () => {
    const io = new Server();
    server = await createHapi(io, 'required');
    io.on('connection', (socket) => socket.on('whoami', (_value: unknown, ack: (user: unknown) => void) => ack(userOf(io, socket))));
    const url = server.info.uri;
    for (const generation of clientGenerations) {
      for (const transports of [['polling'], ['websocket']] as const) {
        const over = `${generation.name} over ${transports[0]}`;
        await expect(generation.connect({ url, path: '/socket.io', transports }), over).rejects.toThrow();
        expect(io.engine.sessionCount + (io.legacyEngine?.sessions.size ?? 0), `${over}: a refusal opens no session`).toBe(0);
        if (!generation.sendsHeaders) continue;
        const client = await generation.connect({ url, path: '/socket.io', transports, headers: { authorization: 'Bearer grace' } });
        onTestFinished(() => client.close());
        expect(await client.ask('whoami', ''), over).toBe('grace');
        expect(io.engine.sessionCount, over).toBe(1);
        client.close();
        await vi.waitFor(() => expect(io.engine.sessionCount).toBe(0));
      }
    }
    expect(server.io).toBe(io);
  });

  it('a Server handed in: server.stop() disconnects its clients (every generation, polling and websocket) and leaves it open for its owner', async () => {
    const io = new Server();
    io.on('connection', (socket) => socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value)));
    server = await createHapi(io);
    const clients = await Promise.all(
      clientGenerations.flatMap((generation) =>
        (['polling', 'websocket'] as const).map((transport) => generation.connect({ url: server.info.uri, path: '/socket.io', transports: [transport] })),
      ),
    );
    await server.stop();
    await Promise.all(clients.map((each) => each.disconnected));
    expect(io.engine.sessionCount + (io.legacyEngine?.sessions.size ?? 0)).toBe(0);
    // Still open: mounted on another server, it takes new clients.
    server = await createHapi(io);
    const client = await clientGenerations[0]!.connect({ url: server.info.uri, path: '/socket.io', transports: ['websocket'] });
    onTestFinished(() => client.close());
    expect(await client.ask('echo', 'again')).toBe('again');
    client.close();
    await io.close();
  });

  it('a Server the plugin created is closed by server.stop(): mounted again, it refuses handshakes', async () => {
    const first = new HapiServer();
    await first.register({ plugin: switchyard });
    await first.initialize();
    await first.stop();
    server = new HapiServer();
    await server.register({ plugin: switchyard, options: { io: first.io } });
    const open = await server.inject({ method: 'GET', url: '/socket.io/?EIO=4&transport=polling' });
    expect(open.statusCode).toBe(400);
  });

  it('the plugin’s version is the package’s', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    server = new HapiServer();
    await server.register({ plugin: switchyard });
    const registrations = server.registrations as Partial<Record<string, { version: string }>>;
    expect(registrations['@switchyard/hapi']?.version).toBe(version);
  });

  it('creates its own Server from options, and server.stop() leaves no upgrade listener behind', async () => {
    server = new HapiServer({ host: '127.0.0.1', port: 0 });
    await server.register({ plugin: switchyard, options: { path: '/live' } });
    await server.start();
    const open = await server.inject({ method: 'GET', url: '/live/?EIO=4&transport=polling' });
    expect(String(open.payload)).toMatch(/^0\{/);
    expect(server.listener.listenerCount('upgrade')).toBe(1);
    await server.stop();
    expect(server.listener.listenerCount('upgrade')).toBe(0);
    expect(server.io.engine.sessionCount).toBe(0);
  });
});
