import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BaseNamespace, Server } from '@switchyard/core';
import { clientGenerations, runAdapterConformance, type AdapterApp, type GenerationClient } from '@switchyard/testing';
import cors from 'cors';
import express5 from 'express';
import session from 'express-session';
import express4 from 'express4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { switchyard } from '../src/index.js';

type Express = typeof express5;
type AuthedRequest = express5.Request & { user?: string };

/** An app with the suite's auth, `/health` and Switchyard mounted; `extra` runs before the mount. */
async function createApp(express: Express, io: Server, extra?: (app: express5.Express) => void): Promise<AdapterApp> {
  const app = express();
  app.use((req: AuthedRequest, res, next) => {
    const user = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (user === 'nobody') res.status(401).send('who are you?');
    else {
      if (user !== undefined) req.user = user;
      next();
    }
  });
  extra?.(app);
  app.get('/health', (_req, res) => void res.send('ok'));
  const socketio = switchyard(io);
  app.use(socketio);
  const server: HttpServer = socketio.attach(app.listen(0, '127.0.0.1'));
  await once(server, 'listening');
  return {
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
    userOf: (socket) => (socket.request as AuthedRequest).user,
  };
}

for (const [name, express] of [['Express 5', express5], ['Express 4', express4]] as const) {
  runAdapterConformance({ describe, it, beforeEach, afterEach, skip: it.skip }, { name, createApp: ({ io }) => createApp(express, io) });
}

declare module 'express-session' {
  interface SessionData {
    name: string;
  }
}

describe('Express: session and CORS middleware apply to the handshake', () => {
  let io: Server;
  let app: AdapterApp;
  let client: GenerationClient | undefined;
  afterEach(async () => {
    client?.close();
    await app.close();
    await io.close();
  });

  for (const [name, express] of [['Express 5', express5], ['Express 4', express4]] as const) {
    it(`${name}: req.session reaches socket.request and a class namespace's this.request over polling and websocket (every generation that sends cookies); the cors middleware answers without io's cors option`, async () => {
      io = new Server();
      io.register(
        '/class',
        class extends BaseNamespace {
          onName(): unknown {
            const req = this.request as express5.Request;
            // The Express req itself: the one socket.request is, with Express's own members and the session.
            return { name: req.session.name, same: req === this.socket.request, express: typeof req.get === 'function' && req.app !== undefined };
          }
        },
      );
      io.on('connection', (socket) => {
        socket.on('name', (_value: unknown, ack: (name: unknown) => void) => ack((socket.request as express5.Request).session.name));
      });
      app = await createApp(express, io, (app) => {
        app.use(cors({ origin: 'http://app.example', credentials: true }));
        app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
        app.get('/login', (req, res) => {
          req.session.name = 'ada';
          res.send('welcome');
        });
      });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const login = await fetch(`${base}/login`);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

      for (const generation of clientGenerations.filter((g) => g.sendsHeaders)) {
        for (const transports of [['polling'], ['websocket']] as const) {
          client = await generation.connect({ url: base, path: '/socket.io', transports, headers: { cookie } });
          expect(await client.ask('name', ''), `${generation.name} over ${transports[0]}`).toBe('ada');
          client.close();
          client = await generation.connect({ url: `${base}/class`, path: '/socket.io', transports, headers: { cookie } });
          expect(await client.ask('name', ''), `class namespace: ${generation.name} over ${transports[0]}`).toEqual({ name: 'ada', same: true, express: true });
          client.close();
        }
      }

      const preflight = await fetch(`${base}/socket.io/?EIO=4&transport=polling`, {
        method: 'OPTIONS',
        headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.example');
      const handshake = await fetch(`${base}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://app.example' } });
      expect(handshake.headers.get('access-control-allow-origin')).toBe('http://app.example');
      expect(handshake.headers.get('access-control-allow-credentials')).toBe('true');
      expect(await handshake.text()).toMatch(/^0\{/);
    });
  }
});
