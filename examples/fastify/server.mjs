// The testapp's namespaces in a Fastify 5 app: `pnpm -C examples/fastify start` (PORT, default 3000).
// Sign in at /login?name=… (a signed cookie from @fastify/cookie); the `/me` namespace reads it from the
// Fastify request, whose hooks ran before the handshake.
import cookie from '@fastify/cookie';
import { switchyard } from '@switchyard/fastify';
import Fastify from 'fastify';
import { findAsset } from 'switchyard-example-assets';
import { chatPage, wireTestApp } from 'switchyard-example-testapp';

const port = Number(process.env.PORT ?? 3000);
const fastify = Fastify();
await fastify.register(cookie, { secret: process.env.SESSION_SECRET ?? 'switchyard example' });
fastify.get('/', (_request, reply) => reply.type('text/html').send(chatPage('Fastify')));
const asset = (request, reply) => {
  const file = findAsset(request.url);
  return file ? reply.type(file.type).send(file.body) : reply.callNotFound();
};
fastify.get('/assets/*', asset);
fastify.get('/favicon.ico', asset);
fastify.get('/health', async () => 'ok');
fastify.get('/login', (request, reply) => {
  const name = String(request.query.name ?? '').trim().slice(0, 32) || 'anonymous';
  reply.setCookie('name', name, { signed: true, path: '/', httpOnly: true, sameSite: 'lax' }).redirect('/');
});

await fastify.register(switchyard);
const io = wireTestApp(fastify.io);

const nameOf = (socket) => {
  const request = io.requestOf(socket);
  const signed = request.cookies.name;
  const unsigned = signed === undefined ? undefined : request.unsignCookie(signed);
  return unsigned?.valid ? unsigned.value : undefined;
};
io.of('/me').use((socket, next) => (nameOf(socket) ? next() : next(new Error('not signed in'))));
io.of('/me').on('connection', (socket) => socket.emit('hello', nameOf(socket)));

await fastify.listen({ port, host: '0.0.0.0' });
console.log(`Fastify + Switchyard: http://localhost:${port}/`);

const stop = () => fastify.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
