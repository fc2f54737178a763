import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@switchyard/core';
import { runAdapterConformance, type AdapterApp } from '@switchyard/testing';
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

declare module 'express-session' {
  interface SessionData {
    name: string;
  }
}

/** express-session in front of the mount, and `GET /login` storing the name `ada` in it. */
function withSession(app: express5.Express): void {
  app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
  app.get('/login', (req, res) => {
    req.session.name = 'ada';
    res.send('welcome');
  });
}

for (const [name, express] of [['Express 5', express5], ['Express 4', express4]] as const) {
  runAdapterConformance(
    { describe, it, beforeEach, afterEach, skip: it.skip },
    {
      name,
      createApp: ({ io }) => createApp(express, io),
      session: { createApp: ({ io }) => createApp(express, io, withSession), nameOf: (req) => (req as express5.Request).session.name },
    },
  );

  it(`${name}: the cors middleware answers the preflight and the handshake without io's cors option`, async () => {
    const io = new Server();
    const app = await createApp(express, io, (app) => app.use(cors({ origin: 'http://app.example', credentials: true })));
    try {
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
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
    } finally {
      await app.close();
      await io.close();
    }
  });
}
