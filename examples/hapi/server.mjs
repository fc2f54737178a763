// The testapp's namespaces in a hapi 21 server: `pnpm -C examples/hapi start` (PORT, default 3000).
// Sign in at /login?name=… (hapi's iron-encrypted `session` cookie); the `/me` namespace reads it from the
// hapi request.
import Hapi from '@hapi/hapi';
import { switchyard } from '@switchyard/hapi';
import { findAsset } from 'switchyard-example-assets';
import { chatPage, wireTestApp } from 'switchyard-example-testapp';

const server = Hapi.server({ port: Number(process.env.PORT ?? 3000) });
server.state('session', {
  encoding: 'iron',
  password: process.env.SESSION_SECRET ?? 'switchyard example password, 32+ characters',
  isSecure: false,
  path: '/',
  // A cookie that does not decrypt is no sign-in (and is cleared), rather than a 400 for the whole request.
  ignoreErrors: true,
  clearInvalid: true,
});
server.route({ method: 'GET', path: '/', handler: (_request, h) => h.response(chatPage('hapi')).type('text/html') });
const asset = (request, h) => {
  const file = findAsset(request.path);
  return file ? h.response(file.body).type(file.type) : h.response('Not Found').code(404);
};
server.route({ method: 'GET', path: '/assets/{file}', handler: asset });
server.route({ method: 'GET', path: '/favicon.ico', handler: asset });
server.route({ method: 'GET', path: '/health', handler: () => 'ok' });
server.route({
  method: 'GET',
  path: '/login',
  handler: (request, h) => h.redirect('/').state('session', { name: String(request.query.name ?? '').trim().slice(0, 32) || 'anonymous' }),
});

await server.register({ plugin: switchyard });
const io = wireTestApp(server.io);

const nameOf = (socket) => io.requestOf(socket).state.session?.name;
io.of('/me').use((socket, next) => (nameOf(socket) ? next() : next(new Error('not signed in'))));
io.of('/me').on('connection', (socket) => socket.emit('hello', nameOf(socket)));

await server.start();
console.log(`hapi + Switchyard: http://localhost:${server.info.port}/`);

const stop = () => server.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
