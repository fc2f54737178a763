// The testapp's namespaces in a Koa 3 app: `pnpm -C examples/koa start` (PORT, default 3000).
// Sign in at /login?name=… (koa-session); the `/me` namespace reads that session through the Koa ctx.
import { Server } from '@switchyard/core';
import { switchyard } from '@switchyard/koa';
import Koa from 'koa';
import session from 'koa-session';
import { findAsset } from 'switchyard-example-assets';
import { chatPage, wireTestApp } from 'switchyard-example-testapp';

const port = Number(process.env.PORT ?? 3000);
const app = new Koa();
app.keys = [process.env.SESSION_SECRET ?? 'switchyard example'];
app.use(session(app));
// koa-session reads its cookie on the first `ctx.session`: read it here, while the handshake's answer can still
// carry the header that clears a cookie whose signature is wrong, not later in a namespace.
app.use((ctx, next) => (ctx.session, next()));

const io = wireTestApp(new Server());
const nameOf = (socket) => io.requestOf(socket).session?.name;
io.of('/me').use((socket, next) => (nameOf(socket) ? next() : next(new Error('not signed in'))));
io.of('/me').on('connection', (socket) => socket.emit('hello', nameOf(socket)));

const socketio = switchyard(io);
app.use(socketio);
app.use(async (ctx) => {
  const asset = findAsset(ctx.path);
  if (asset !== undefined) {
    ctx.type = asset.type;
    ctx.body = asset.body;
  } else if (ctx.path === '/') {
    ctx.type = 'html';
    ctx.body = chatPage('Koa');
  } else if (ctx.path === '/health') {
    ctx.body = 'ok';
  } else if (ctx.path === '/login') {
    ctx.session.name = String(ctx.query.name ?? '').trim().slice(0, 32) || 'anonymous';
    ctx.redirect('/');
  }
});
const server = socketio.attach(app.listen(port, () => console.log(`Koa + Switchyard: http://localhost:${port}/`)));

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
