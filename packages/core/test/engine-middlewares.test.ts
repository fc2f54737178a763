// `io.engine.use()`: connect-style middlewares on the handshakes of every client generation, with
// express-session as the typical one; `initial_headers` / `headers` and the `cookie` option.
import type { IncomingMessage } from 'node:http';
import session from 'express-session';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineConnectionError } from '../src/index.js';
import { refusedUpgrade, waitFor } from './helpers.js';
import { eventOf, useLegacy } from './legacy-helpers.js';
import { TRANSPORTS } from './sio-helpers.js';
import { useV2Clients, V2_TRANSPORTS } from './sio2-helpers.js';

const { start } = useLegacy();
const v2 = useV2Clients();

type SessionRequest = IncomingMessage & { session?: session.Session & { visits?: number } };

const sessions = () => session({ secret: 'switchyard', resave: false, saveUninitialized: true });

describe('io.engine.use(express-session)', () => {
  for (const { name, options } of TRANSPORTS) {
    it(`gives a 4.x client's socket.request a session, over ${name}`, async () => {
      const h = await start();
      h.io.engine.use(sessions() as never);
      const [, socket] = await h.sio.pair('/', options);
      const req = socket.request as SessionRequest;
      expect(req.session).toBeDefined();
      expect(typeof req.session!.id).toBe('string');
    });
  }

  for (const { name, options } of V2_TRANSPORTS.filter((c) => c.name !== 'polling→websocket')) {
    it(`gives a 2.x client's socket.request a session, over ${name}`, async () => {
      const h = await start();
      h.io.engine.use(sessions() as never);
      const connected = waitFor<[{ request: SessionRequest }]>(h.io, 'connection');
      await v2.connect(h.url, options);
      const [socket] = await connected;
      expect(socket.request.session).toBeDefined();
    });
  }

  it('sends the session cookie with the polling handshake and the websocket 101 answer', async () => {
    const h = await start();
    h.io.engine.use(sessions() as never);
    const polling = await fetch(`${h.url}/socket.io/?EIO=4&transport=polling`);
    expect(polling.headers.get('set-cookie')).toMatch(/^connect\.sid=/);
    const upgraded = await new Promise<IncomingMessage>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${h.port}/socket.io/?EIO=4&transport=websocket`);
      ws.on('upgrade', (res) => {
        resolve(res);
        ws.terminate();
      });
      ws.on('error', reject);
    });
    expect(String(upgraded.headers['set-cookie'])).toMatch(/^connect\.sid=/);
  });
});

describe('a middleware that refuses', () => {
  const refuse = (_req: IncomingMessage, _res: unknown, next: (err?: unknown) => void) => next(new Error('not you'));

  it('refuses 4.x clients over both transports with 400, code 3, reported as MIDDLEWARE_FAILURE', async () => {
    const h = await start();
    h.io.engine.use(refuse);
    const errors: EngineConnectionError[] = [];
    h.io.engine.on('connection_error', (err) => errors.push(err));
    for (const { options } of TRANSPORTS) {
      const client = h.sio.client('/', options);
      const [err] = await waitFor<[Error]>(client, 'connect_error');
      expect(err.message).toMatch(/xhr poll error|websocket error/);
    }
    const res = await fetch(`${h.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 3, message: 'Bad request' });
    expect(errors[0]).toMatchObject({ code: 3, message: 'Bad request', context: { name: 'MIDDLEWARE_FAILURE' } });
    expect(h.io.engine.sessionCount).toBe(0);
  });

  it('refuses 2.x clients over both transports', async () => {
    const h = await start();
    h.io.engine.use(refuse);
    for (const { options } of V2_TRANSPORTS.filter((c) => c.name !== 'polling→websocket')) {
      const client = v2.client(h.url, options);
      await waitFor(client, 'connect_error');
    }
    expect(h.io.engine.sessionCount).toBe(0);
  });

  it('refuses 0.9 handshakes, reported on io.engine', async () => {
    const h = await start();
    h.io.engine.use(refuse);
    const reported = waitFor<[EngineConnectionError]>(h.io.engine, 'connection_error');
    const res = await fetch(`${h.url}/socket.io/1/?t=1`);
    expect([res.status, await res.text()]).toEqual([400, 'Bad request']);
    expect((await reported)[0]).toMatchObject({ code: 3, context: { name: 'MIDDLEWARE_FAILURE', status: 400 } });
    const client = h.client('/', 'xhr-polling');
    await eventOf(client, 'error');
    expect(h.io.legacyEngine!.sessions.size).toBe(0);
  });

  it('refuses an upgrade with the status a middleware ends the stand-in response with', async () => {
    const h = await start();
    h.io.engine.use((req, res, next) => {
      if ((req as IncomingMessage & { _query: Record<string, string | undefined> })._query.transport !== 'websocket') return next();
      res.statusCode = 401;
      res.setHeader('X-Why', 'no token');
      res.end('no token');
    });
    expect(await refusedUpgrade(`ws://127.0.0.1:${h.port}/socket.io/?EIO=4&transport=websocket`)).toMatchObject({ status: 401, body: 'no token' });
    expect((await fetch(`${h.url}/socket.io/?EIO=4&transport=polling`)).status).toBe(200);
  });
});

describe('0.9 handshakes and the middlewares', () => {
  it('runs them on the handshake, so the socket of a 0.9 client has its session too', async () => {
    const h = await start();
    h.io.engine.use(sessions() as never);
    const connected = waitFor<[{ request: SessionRequest }]>(h.io, 'connection');
    await h.connect('/', 'xhr-polling');
    expect((await connected)[0].request.session).toBeDefined();
  });

  it('reports its refusals on io.engine with the status sent', async () => {
    const h = await start({ protocol09: { authorization: (_req, cb) => cb(null, false) } });
    const reported = waitFor<[EngineConnectionError]>(h.io.engine, 'connection_error');
    expect((await fetch(`${h.url}/socket.io/1/`)).status).toBe(403);
    expect((await reported)[0]).toMatchObject({ code: 4, message: 'Forbidden', context: { status: 403 } });
    const unknown = waitFor<[EngineConnectionError]>(h.io.engine, 'connection_error');
    await (await fetch(`${h.url}/socket.io/1/xhr-polling/nope`)).text();
    expect((await unknown)[0]).toMatchObject({ code: 1, context: { sid: 'nope' } });
  });
});
