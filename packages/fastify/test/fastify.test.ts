import cors from '@fastify/cors';
import type { AddressInfo } from 'node:net';
import { Server } from '@switchyard/core';
import { clientGenerations, runAdapterConformance } from '@switchyard/testing';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { switchyard } from '../src/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    user?: string;
  }
}

/** A Fastify app with the suite's auth as an onRequest hook, `/health`, and Switchyard registered. */
async function createFastify(io: Server, listen = true): Promise<FastifyInstance> {
  const fastify = Fastify();
  fastify.addHook('onRequest', async (request, reply) => {
    const user = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (user === 'nobody') return reply.code(401).send('who are you?');
    if (user !== undefined) request.user = user;
  });
  fastify.get('/health', async () => 'ok');
  await fastify.register(switchyard, { io });
  if (listen) await fastify.listen({ port: 0, host: '127.0.0.1' });
  return fastify;
}

runAdapterConformance(
  { describe, it, beforeEach, afterEach, skip: it.skip },
  {
    name: 'Fastify 5',
    createApp: async ({ io }) => {
      const fastify = await createFastify(io);
      return { server: fastify.server, close: () => fastify.close(), userOf: (socket) => io.requestOf<FastifyRequest>(socket).user };
    },
  },
);

describe('Fastify: its own cases', () => {
  let fastify: FastifyInstance;
  afterEach(async () => {
    await fastify.close();
  });

  it('polling works through fastify.inject, without listening', async () => {
    fastify = await createFastify(new Server(), false);
    const url = '/socket.io/?EIO=4&transport=polling';
    const open = await fastify.inject({ method: 'GET', url });
    expect(open.statusCode).toBe(200);
    const { sid } = JSON.parse(open.body.slice(1)) as { sid: string };
    const pushed = await fastify.inject({ method: 'POST', url: `${url}&sid=${sid}`, payload: '40', headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect([pushed.statusCode, pushed.body]).toEqual([200, 'ok']);
    expect((await fastify.inject({ method: 'GET', url: `${url}&sid=${sid}` })).body).toMatch(/^40\{"sid":/);
    expect(fastify.io.engine.sessionCount).toBe(1);
  });

  it('a preHandler hook decides on the handshake, over polling and websocket, and its result reaches the socket (every generation)', async () => {
    const io = new Server();
    fastify = Fastify();
    fastify.addHook('preHandler', async (request, reply) => {
      const token = new URL(request.url, 'http://x').searchParams.get('token');
      if (token !== 'ok') return reply.code(403).send('no token');
      request.user = 'token holder';
    });
    await fastify.register(switchyard, { io });
    fastify.io.on('connection', (socket) =>
      socket.on('whoami', (_value: unknown, ack: (user: unknown) => void) => ack(io.requestOf<FastifyRequest>(socket).user)),
    );
    const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
    for (const generation of clientGenerations) {
      for (const transports of [['polling'], ['websocket']] as const) {
        const over = `${generation.name} over ${transports[0]}`;
        await expect(generation.connect({ url, path: '/socket.io', transports, query: { token: 'bad' } }), over).rejects.toThrow();
        const client = await generation.connect({ url, path: '/socket.io', transports, query: { token: 'ok' } });
        onTestFinished(() => client.close());
        expect(await client.ask('whoami', ''), over).toBe('token holder');
        client.close();
      }
    }
    expect(fastify.server.listenerCount('upgrade')).toBe(1);
    await fastify.close();
    expect(fastify.server.listenerCount('upgrade')).toBe(0);
  });

  it('@fastify/cors answers the preflight and its headers go out with the Server’s answers (no cors option on the Server)', async () => {
    fastify = Fastify();
    await fastify.register(cors, { origin: 'http://app.example', credentials: true });
    await fastify.register(switchyard);
    const url = '/socket.io/?EIO=4&transport=polling';
    const origin = 'http://app.example';
    const preflight = await fastify.inject({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    const open = await fastify.inject({ method: 'GET', url, headers: { origin } });
    expect(open.body).toMatch(/^0\{/);
    expect(open.headers['access-control-allow-origin']).toBe(origin);
    expect(open.headers['access-control-allow-credentials']).toBe('true');
  });

  it('a Server handed in: fastify.close() disconnects its clients (every generation, polling and websocket) and leaves it open for its owner', async () => {
    const io = new Server();
    io.on('connection', (socket) => socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value)));
    fastify = await createFastify(io);
    const url = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
    const clients = await Promise.all(
      clientGenerations.flatMap((generation) =>
        (['polling', 'websocket'] as const).map((transport) => generation.connect({ url, path: '/socket.io', transports: [transport] })),
      ),
    );
    await fastify.close();
    await Promise.all(clients.map((each) => each.disconnected));
    expect(io.engine.sessionCount + (io.legacyEngine?.sessions.size ?? 0)).toBe(0);
    // Still open: mounted in another app, it takes new clients.
    fastify = await createFastify(io);
    const client = await clientGenerations[0]!.connect({ url: `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`, path: '/socket.io', transports: ['websocket'] });
    onTestFinished(() => client.close());
    expect(await client.ask('echo', 'again')).toBe('again');
    client.close();
    await io.close();
  });

  it('a Server the plugin created is closed by fastify.close(): mounted again, it refuses handshakes', async () => {
    const first = Fastify();
    await first.register(switchyard);
    await first.close();
    fastify = Fastify();
    await fastify.register(switchyard, { io: first.io });
    const open = await fastify.inject({ method: 'GET', url: '/socket.io/?EIO=4&transport=polling' });
    expect(open.statusCode).toBe(400);
  });

  it('creates its own Server from options when none is handed in', async () => {
    fastify = Fastify();
    await fastify.register(switchyard, { path: '/live' });
    expect(fastify.io.path()).toBe('/live');
    const open = await fastify.inject({ method: 'GET', url: '/live/?EIO=4&transport=polling' });
    expect(open.body).toMatch(/^0\{/);
  });
});
