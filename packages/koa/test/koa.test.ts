import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BaseNamespace, Server } from '@switchyard/core';
import { clientGenerations, runAdapterConformance, type AdapterApp, type GenerationClient } from '@switchyard/testing';
import Koa, { type Context } from 'koa';
import session from 'koa-session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { switchyard } from '../src/index.js';

/** A Koa app with the suite's auth, `/health` and Switchyard mounted; `extra` runs before the mount. */
async function createApp(io: Server, extra?: (app: Koa) => void): Promise<AdapterApp> {
  const app = new Koa();
  app.use(async (ctx, next) => {
    const user = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1];
    if (user === 'nobody') ctx.throw(401, 'who are you?');
    ctx.state.user = user;
    await next();
  });
  extra?.(app);
  const socketio = switchyard(io);
  app.use(socketio);
  app.use(async (ctx, next) => {
    if (ctx.path === '/health') ctx.body = 'ok';
    else await next();
  });
  const server: HttpServer = socketio.attach(app.listen(0, '127.0.0.1'));
  await once(server, 'listening');
  return {
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
    userOf: (socket) => io.requestOf<Context>(socket).state.user,
  };
}

runAdapterConformance({ describe, it, beforeEach, afterEach, skip: it.skip }, { name: 'Koa 3', createApp: ({ io }) => createApp(io) });

describe('Koa: koa-session and ctx', () => {
  let io: Server;
  let app: AdapterApp;
  let client: GenerationClient | undefined;
  afterEach(async () => {
    client?.close();
    await app.close();
    await io.close();
  });

  it('ctx.session reaches the namespaces (and class namespaces) over polling and websocket (every generation that sends cookies), and ctx.io is set', async () => {
    io = new Server();
    io.register(
      '/class',
      class extends BaseNamespace {
        onName(): unknown {
          return (this.request as Context).session?.name;
        }
      },
    );
    io.on('connection', (socket) => {
      const ctx = io.requestOf<Context>(socket);
      socket.on('name', (_value: unknown, ack: (answer: unknown) => void) => ack({ name: ctx.session?.name, io: ctx.io === io }));
    });
    app = await createApp(io, (koa) => {
      koa.keys = ['test key'];
      koa.use(session(koa));
      koa.use(async (ctx, next) => {
        if (ctx.path !== '/login') return next();
        ctx.session!.name = 'ada';
        ctx.body = 'welcome';
      });
    });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/login`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    for (const generation of clientGenerations.filter((g) => g.sendsHeaders)) {
      for (const transports of [['polling'], ['websocket']] as const) {
        const over = `${generation.name} over ${transports[0]}`;
        client = await generation.connect({ url: base, path: '/socket.io', transports, headers: { cookie } });
        expect(await client.ask('name', ''), over).toEqual({ name: 'ada', io: true });
        client.close();
        client = await generation.connect({ url: `${base}/class`, path: '/socket.io', transports, headers: { cookie } });
        expect(await client.ask('name', ''), over).toBe('ada');
        client.close();
      }
    }
  });
});
