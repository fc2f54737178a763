import WebSocket from 'ws';
// Engine.IO v4 handshake and the error answers, over raw HTTP and raw websockets.
import { describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EngineConnectionError } from '../src/index.js';
import {
  handshake,
  openWebSocketSession,
  parseOpen,
  poll,
  pollingUrl,
  push,
  rawUpgrade,
  refusedUpgrade,
  useHarness,
  waitFor,
} from './helpers.js';

const t = useHarness();

const OPEN_KEYS = ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades'];
// 20 characters (120 random bits), as engine.io's: @socket.io/sticky routes by /sid=([\w-]{20})/.
const SID = /^[A-Za-z0-9_-]{20}$/;
const settings = { pingInterval: 4321, pingTimeout: 1234, maxHttpBufferSize: 56789 };

describe('handshake', () => {
  it('opens a session over polling with exactly the v4 keys and websocket as the upgrade', async () => {
    const h = await t.start({ engine: settings });
    const connected = waitFor(h.engine, 'connection');
    const res = await fetch(pollingUrl(h));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const open = parseOpen(await res.text());
    expect(Object.keys(open).sort()).toEqual(OPEN_KEYS);
    expect(open).toMatchObject({ upgrades: ['websocket'], pingInterval: 4321, pingTimeout: 1234, maxPayload: 56789 });
    expect(open.sid).toMatch(SID);
    await connected;
    expect(h.engine.sessions.get(open.sid)?.transport.name).toBe('polling');
  });

  // @socket.io/sticky learns which process holds a session from its `connection` event (over IPC): the
  // event must come before the client can read its sid, whose next poll is a new request the balancer routes.
  it('announces a polling session before it answers the handshake; what a listener sends waits for the first poll', async () => {
    const h = await t.start({ echo: false });
    const answers: ServerResponse[] = [];
    h.http.prependListener('request', (_req, res) => answers.push(res));
    let answeredWhenAnnounced: boolean | undefined;
    h.engine.on('connection', (session) => {
      answeredWhenAnnounced = answers[0]!.headersSent;
      session.send('hello');
    });
    const sid = await handshake(h);
    expect(answeredWhenAnnounced).toBe(false);
    expect(await poll(h, sid)).toMatchObject({ status: 200, body: '4hello' });
  });

  it('refuses a polling handshake whose connection listener throws, and keeps no session', async () => {
    const h = await t.start();
    const closed: string[] = [];
    h.engine.on('connection', (session) => {
      session.on('close', (reason) => closed.push(reason));
      throw new Error('listener bug');
    });
    const errors: unknown[] = [];
    h.engine.on('connection_error', (err) => errors.push(err.context));
    const res = await fetch(pollingUrl(h));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 3, message: 'Bad request' });
    expect(errors).toMatchObject([{ name: 'TRANSPORT_HANDSHAKE_ERROR', error: { message: 'listener bug' } }]);
    expect(closed).toEqual(['forced close']);
    expect(h.engine.sessionCount).toBe(0);
  });

  it('opens a session over websocket first, with no upgrade offered', async () => {
    const h = await t.start({ engine: settings });
    const { open } = await openWebSocketSession(t.ws, h);
    expect(Object.keys(open).sort()).toEqual(OPEN_KEYS);
    expect(open).toMatchObject({ upgrades: [], pingInterval: 4321, pingTimeout: 1234, maxPayload: 56789 });
    expect(open.sid).toMatch(SID);
    expect(h.engine.sessions.get(open.sid)?.transport.name).toBe('websocket');
  });

  it('offers no upgrade when websocket is disabled or upgrades are off', async () => {
    const pollingOnly = await t.start({ engine: { transports: ['polling'] } });
    expect(parseOpen(await (await fetch(pollingUrl(pollingOnly))).text()).upgrades).toEqual([]);
    const noUpgrades = await t.start({ engine: { allowUpgrades: false } });
    expect(parseOpen(await (await fetch(pollingUrl(noUpgrades))).text()).upgrades).toEqual([]);
  });

  it('hands out URL-safe, 120-bit, distinct session ids', async () => {
    const h = await t.start();
    const sids = await Promise.all(Array.from({ length: 40 }, () => handshake(h)));
    for (const sid of sids) {
      expect(sid).toMatch(SID);
      expect(Buffer.from(sid, 'base64url').length).toBe(15);
    }
    expect(new Set(sids).size).toBe(sids.length);
    expect(h.engine.sessionCount).toBe(sids.length);
  });
});

describe('error answers over polling', () => {
  async function expectError(url: string, init: RequestInit, status: number, code: number, message: string) {
    const res = await fetch(url, init);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ code, message });
  }

  it('refuses a missing or unsupported EIO with code 5', async () => {
    const h = await t.start();
    const path = `${h.base}/engine.io/`;
    for (const query of ['?transport=polling', '?EIO=abc&transport=polling', '?EIO=2&transport=polling', '?EIO=5&transport=polling', '?EIO=03&transport=polling']) {
      await expectError(path + query, {}, 400, 5, 'Unsupported protocol version');
    }
  });

  it('refuses EIO=3 with code 5 when allowEIO3 is false', async () => {
    const h = await t.start({ engine: { allowEIO3: false } });
    await expectError(`${h.base}/engine.io/?EIO=3&transport=polling`, {}, 400, 5, 'Unsupported protocol version');
    expect((await fetch(`${h.base}/engine.io/?EIO=4&transport=polling`)).status).toBe(200);
  });

  it('refuses a missing, unknown or disabled transport with code 0', async () => {
    const h = await t.start({ engine: { transports: ['websocket'] } });
    const path = `${h.base}/engine.io/`;
    for (const query of ['?EIO=4', '?EIO=4&transport=abc', '?EIO=4&transport=polling']) {
      await expectError(path + query, {}, 400, 0, 'Transport unknown');
    }
  });

  it('refuses a handshake by any method but GET with code 2', async () => {
    const h = await t.start();
    for (const method of ['POST', 'PUT', 'DELETE']) {
      await expectError(pollingUrl(h), { method, body: '4x' }, 400, 2, 'Bad handshake method');
    }
    expect(h.engine.sessionCount).toBe(0);
  });

  it('refuses an unknown sid with code 1 and reports it as a connection_error', async () => {
    const h = await t.start();
    const reported = waitFor<[EngineConnectionError, IncomingMessage]>(h.engine, 'connection_error');
    await expectError(pollingUrl(h, 'AAAAAAAAAAAAAAAAAAAAAA'), {}, 400, 1, 'Session ID unknown');
    await expectError(pollingUrl(h, 'nope'), { method: 'POST', body: '4x' }, 400, 1, 'Session ID unknown');
    const [error, req] = await reported;
    expect(error).toBeInstanceOf(EngineConnectionError);
    expect(error).toMatchObject({ code: 1, httpCode: 1, message: 'Session ID unknown', context: { sid: 'AAAAAAAAAAAAAAAAAAAAAA' } });
    expect(error.req).toBe(req);
    expect(req.url).toContain('sid=AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('answers a plain GET that asks for the websocket transport with code 3', async () => {
    const h = await t.start();
    await expectError(`${h.base}/engine.io/?EIO=4&transport=websocket`, {}, 400, 3, 'Bad request');
  });

  it('refuses what allowRequest refuses with 403 and code 4, with its own message when given', async () => {
    let verdict: [string | null, boolean] = [null, false];
    const seen: string[] = [];
    const h = await t.start({
      engine: {
        allowRequest: (req, callback) => {
          seen.push(req.headers['x-token'] as string);
          callback(...verdict);
        },
      },
    });
    await expectError(pollingUrl(h), { headers: { 'x-token': 'a' } }, 403, 4, 'Forbidden');
    verdict = ['not today', false];
    await expectError(pollingUrl(h), { headers: { 'x-token': 'b' } }, 403, 4, 'not today');
    expect(h.engine.sessionCount).toBe(0);
    verdict = [null, true];
    const sid = await handshake(h);
    // allowRequest guards the handshake only: requests of an open session do not ask again.
    expect((await push(h, sid, '4hi')).body).toBe('ok');
    expect((await poll(h, sid)).body).toBe('4hi');
    expect(seen).toEqual(['a', 'b', undefined]);
  });

  it('refuses the handshake when allowRequest throws', async () => {
    const h = await t.start({
      engine: {
        allowRequest: () => {
          throw new Error('boom');
        },
      },
    });
    await expectError(pollingUrl(h), {}, 403, 4, 'Forbidden');
  });
});

describe('error answers on websocket upgrade', () => {
  it('answers a refused upgrade with a plain HTTP 400, the message as text, then ends the connection', async () => {
    const h = await t.start();
    const raw = await rawUpgrade(h.port, '/engine.io/?EIO=5&transport=websocket');
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\nContent-Type: text\/plain/i);
    expect(body).toBe('Unsupported protocol version');
  });

  it.each([
    ['/engine.io/?transport=websocket', 'Unsupported protocol version'],
    ['/engine.io/?EIO=abc&transport=websocket', 'Unsupported protocol version'],
    ['/engine.io/?EIO=4', 'Transport unknown'],
    ['/engine.io/?EIO=4&transport=abc', 'Transport unknown'],
    ['/engine.io/?EIO=4&transport=polling', 'Bad request'],
    ['/engine.io/?EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAAAA', 'Session ID unknown'],
  ])('refuses %s with 400 "%s"', async (path, message) => {
    const h = await t.start();
    const refused = await refusedUpgrade(h.wsBase + path);
    expect(refused.status).toBe(400);
    expect(refused.contentType).toMatch(/^text\/plain/);
    expect(refused.body).toBe(message);
    expect(h.engine.sessionCount).toBe(0);
  });

  it('refuses a websocket upgrade for a session when upgrades are off', async () => {
    const h = await t.start({ engine: { allowUpgrades: false } });
    const sid = await handshake(h);
    const refused = await refusedUpgrade(`${h.wsBase}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    expect(refused.status).toBe(400);
    expect(h.engine.sessions.get(sid)?.transport.name).toBe('polling');
  });

  it('answers an upgrade that allowRequest refuses with a plain HTTP 403', async () => {
    let message: string | null = null;
    const h = await t.start({ engine: { allowRequest: (_req, callback) => callback(message, false) } });
    const url = `${h.wsBase}/engine.io/?EIO=4&transport=websocket`;
    expect(await refusedUpgrade(url)).toMatchObject({ status: 403, body: 'Forbidden' });
    message = 'go away';
    expect(await refusedUpgrade(url)).toMatchObject({ status: 403, body: 'go away' });
    expect(h.engine.sessionCount).toBe(0);
  });
});

describe('a generateId that fails', () => {
  it('refuses the handshake with 400 instead of throwing into the host', async () => {
    let calls = 0;
    const h = await t.start({
      engine: {
        generateId: () => {
          calls++;
          if (calls === 1) throw new Error('id service down');
          return 'same-id';
        },
      },
    });
    const errors: unknown[] = [];
    h.engine.on('connection_error', (err) => {
      expect(err).toMatchObject({ code: 3, message: 'Bad request', context: { name: 'ID_GENERATION_ERROR' } });
      errors.push((err.context.error as Error).message);
    });
    const first = await fetch(`${h.base}/engine.io/?EIO=4&transport=polling`);
    expect(first.status).toBe(400);
    expect(await first.json()).toEqual({ code: 3, message: 'Bad request' });
    expect((await fetch(`${h.base}/engine.io/?EIO=4&transport=polling`)).status).toBe(200);
    // A duplicate id is refused too, over polling and over websocket.
    expect((await fetch(`${h.base}/engine.io/?EIO=4&transport=polling`)).status).toBe(400);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${h.wsBase}/engine.io/?EIO=4&transport=websocket`);
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        ws.terminate();
      });
      ws.on('error', () => {});
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(400);
    expect(errors).toEqual(['id service down', 'generateId must return a new, non-empty string', 'generateId must return a new, non-empty string']);
  });
});
