import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@switchyard/core';
import { runAdapterConformance, socketIoClientV4, type AdapterApp } from '@switchyard/testing';
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

/** koa-session in front of the mount, and `GET /login` storing the name `ada` in it. */
function withSession(koa: Koa): void {
  koa.keys = ['test key'];
  koa.use(session(koa));
  koa.use(async (ctx, next) => {
    if (ctx.path !== '/login') return next();
    ctx.session!.name = 'ada';
    ctx.body = 'welcome';
  });
}

runAdapterConformance(
  { describe, it, beforeEach, afterEach, skip: it.skip },
  {
    name: 'Koa 3',
    createApp: ({ io }) => createApp(io),
    session: { createApp: ({ io }) => createApp(io, withSession), nameOf: (ctx) => (ctx as Context).session?.name },
  },
);

it('ctx.io is the Server, on the ctx a socket gets as its framework request', async () => {
  const io = new Server();
  io.on('connection', (socket) => socket.on('io', (_value: unknown, ack: (same: unknown) => void) => ack(io.requestOf<Context>(socket).io === io)));
  const app = await createApp(io);
  const client = await socketIoClientV4.connect({ url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, path: '/socket.io', transports: ['websocket'] });
  try {
    expect(await client.ask('io', '')).toBe(true);
  } finally {
    client.close();
    await app.close();
    await io.close();
  }
});
