// The testapp's namespaces in an Express 5 app: `pnpm -C examples/express start` (PORT, default 3000).
// Sign in at /login?name=… (express-session); the `/me` namespace reads that session.
import { Server } from '@switchyard/core';
import { switchyard } from '@switchyard/express';
import express from 'express';
import session from 'express-session';
import { serveAssets } from 'switchyard-example-assets';
import { chatPage, wireTestApp } from 'switchyard-example-testapp';

const port = Number(process.env.PORT ?? 3000);
const app = express();
app.use(session({ secret: process.env.SESSION_SECRET ?? 'switchyard example', resave: false, saveUninitialized: false }));
app.use((req, res, next) => serveAssets(req, res) || next());
app.get('/', (_req, res) => res.type('html').send(chatPage('Express')));
app.get('/health', (_req, res) => res.send('ok'));
app.get('/login', (req, res) => {
  req.session.name = String(req.query.name ?? '').trim().slice(0, 32) || 'anonymous';
  res.redirect('/');
});

const io = wireTestApp(new Server());
io.of('/me').use((socket, next) => (socket.request.session?.name ? next() : next(new Error('not signed in'))));
io.of('/me').on('connection', (socket) => socket.emit('hello', socket.request.session.name));

const socketio = switchyard(io);
app.use(socketio);
const server = socketio.attach(app.listen(port, () => console.log(`Express + Switchyard: http://localhost:${port}/`)));

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
