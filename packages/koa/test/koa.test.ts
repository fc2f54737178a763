import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BaseNamespace, Server } from '@switchyard/core';
import { runAdapterConformance, type AdapterApp } from '@switchyard/core/testing';
import Koa, { type Context } from 'koa';
import session from 'koa-session';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
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
  let client: ClientSocket | undefined;
  afterEach(async () => {
    client?.close();
    await app.close();
    await io.close();
  });

  it('ctx.session reaches the namespaces (and class namespaces) over polling and websocket, and ctx.io is set', async () => {
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
      socket.on('name', (ack: (answer: unknown) => void) => ack({ name: ctx.session?.name, io: ctx.io === io }));
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
    for (const transports of [['polling'], ['websocket']]) {
      client = connect(base, { transports, forceNew: true, reconnection: false, extraHeaders: { cookie } });
      expect(await client.emitWithAck('name')).toEqual({ name: 'ada', io: true });
      client.close();
      client = connect(`${base}/class`, { transports, forceNew: true, reconnection: false, extraHeaders: { cookie } });
      expect(await client.emitWithAck('name')).toBe('ada');
      client.close();
    }
  });
});
