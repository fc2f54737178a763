// engine.io's Server API on the Engine (what socket.io apps do with `io.engine`): `connection_error` in
// engine.io's shape, `generateId` assigned after construction, the Session's `remoteAddress` and `upgraded`,
// the `initial_headers` and `headers` events and the `cookie` option.
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineConnectionError } from '../src/index.js';
import { handshake, openWebSocketSession, parseOpen, pollingUrl, push, refusedUpgrade, sessionOf, useHarness, waitFor } from './helpers.js';

const t = useHarness();

describe('connection_error', () => {
  it('carries the request, engine.io\'s numeric code, its message and a context', async () => {
    const h = await t.start();
    const errors: EngineConnectionError[] = [];
    h.engine.on('connection_error', (err, req) => {
      expect(err.req).toBe(req);
      errors.push(err);
    });
    await fetch(`${h.base}/engine.io/?EIO=4&transport=carrier-pigeon`);
    await fetch(`${h.base}/engine.io/?EIO=9&transport=polling`);
    await fetch(pollingUrl(h), { method: 'PUT' });
    const { open } = await openWebSocketSession(t.ws, h);
    await push(h, open.sid, '4x');
    await refusedUpgrade(`${h.wsBase}/engine.io/?EIO=4&transport=websocket&sid=gone`);
    expect(errors.map(({ code, message, context }) => ({ code, message, context }))).toEqual([
      { code: 0, message: 'Transport unknown', context: { transport: 'carrier-pigeon' } },
      { code: 5, message: 'Unsupported protocol version', context: { protocol: 9 } },
      { code: 2, message: 'Bad handshake method', context: { method: 'PUT' } },
      { code: 3, message: 'Bad request', context: { name: 'TRANSPORT_MISMATCH', transport: 'polling', previousTransport: 'websocket' } },
      { code: 1, message: 'Session ID unknown', context: { sid: 'gone' } },
    ]);
  });

  it('tells allowRequest\'s refusal apart by its message, which the client is sent too', async () => {
    const h = await t.start({ engine: { allowRequest: (_req, callback) => callback('no entry', false) } });
    const reported = waitFor<[EngineConnectionError]>(h.engine, 'connection_error');
    const res = await fetch(pollingUrl(h));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 4, message: 'no entry' });
    expect((await reported)[0]).toMatchObject({ code: 4, message: 'Forbidden', context: { message: 'no entry' } });
  });
});

describe('engine.generateId', () => {
  it('is used once assigned after construction, over polling and websocket, also as a promise', async () => {
    const h = await t.start();
    let n = 0;
    h.engine.generateId = (req) => `custom-${++n}-${req.url?.includes('websocket') === true ? 'ws' : 'polling'}`;
    expect(await handshake(h)).toBe('custom-1-polling');
    expect((await openWebSocketSession(t.ws, h)).open.sid).toBe('custom-2-ws');
    h.engine.generateId = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return 'later';
    };
    expect(await handshake(h)).toBe('later');
    // The same id again is a duplicate: refused as an id generation error.
    const reported = waitFor<[EngineConnectionError]>(h.engine, 'connection_error');
    expect((await fetch(pollingUrl(h))).status).toBe(400);
    expect((await reported)[0].context).toMatchObject({ name: 'ID_GENERATION_ERROR' });
  });

  it('refuses the handshake when the promise rejects', async () => {
    const h = await t.start();
    h.engine.generateId = () => Promise.reject(new Error('id service down'));
    const reported = waitFor<[EngineConnectionError]>(h.engine, 'connection_error');
    const res = await fetch(pollingUrl(h));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 3, message: 'Bad request' });
    expect(((await reported)[0].context.error as Error).message).toBe('id service down');
    expect(h.engine.sessionCount).toBe(0);
  });

  it('takes only a function', async () => {
    const h = await t.start();
    expect(() => {
      h.engine.generateId = 'abc' as never;
    }).toThrow(TypeError);
  });
});

describe('Session.remoteAddress and Session.upgraded', () => {
  it('holds the peer address, and tells a session that moved to websocket from one that started there', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const session = sessionOf(h, sid);
    expect(session.remoteAddress).toBe('127.0.0.1');
    expect(session.upgraded).toBe(false);
    const upgraded = waitFor(session, 'upgrade');
    const probe = await t.ws(`${h.wsBase}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    probe.send('2probe');
    expect(await probe.text()).toBe('3probe');
    probe.send('5');
    await upgraded;
    expect(session.upgraded).toBe(true);

    const { open } = await openWebSocketSession(t.ws, h);
    expect(sessionOf(h, open.sid).upgraded).toBe(false);
    expect(sessionOf(h, open.sid).remoteAddress).toBe('127.0.0.1');
  });
});

/** The headers of a websocket's 101 answer. */
function upgradeHeaders(url: string): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('upgrade', (res) => {
      resolve(res.headers);
      ws.terminate();
    });
    ws.on('error', reject);
  });
}

describe('initial_headers and headers', () => {
  it('let listeners add headers: to the handshake answer only, and to every answer', async () => {
    const h = await t.start();
    const seen: string[] = [];
    h.engine.on('initial_headers', (headers, req) => {
      headers['set-cookie'] = 'first=1';
      seen.push(`initial ${req.method}`);
    });
    h.engine.on('headers', (headers) => {
      headers['x-every'] = 'yes';
    });
    const open = await fetch(pollingUrl(h));
    expect(open.headers.get('set-cookie')).toBe('first=1');
    expect(open.headers.get('x-every')).toBe('yes');
    const sid = parseOpen(await open.text()).sid;
    const pushed = await fetch(pollingUrl(h, sid), { method: 'POST', body: '4x' });
    expect(pushed.headers.get('x-every')).toBe('yes');
    expect(pushed.headers.get('set-cookie')).toBeNull();

    const handshake101 = await upgradeHeaders(`${h.wsBase}/engine.io/?EIO=4&transport=websocket`);
    expect(handshake101).toMatchObject({ 'set-cookie': ['first=1'], 'x-every': 'yes' });
    const probe101 = await upgradeHeaders(`${h.wsBase}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    expect(probe101['x-every']).toBe('yes');
    expect(probe101['set-cookie']).toBeUndefined();
    expect(seen).toEqual(['initial GET', 'initial GET']);
  });

  it('are not emitted on refusals, and a header that is not valid is left out', async () => {
    const h = await t.start();
    h.engine.on('headers', (headers) => {
      headers['x-bad'] = 'a\r\nInjected: 1';
      headers['x-good'] = 'ok';
    });
    const res = await fetch(pollingUrl(h));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-good')).toBe('ok');
    expect(res.headers.get('injected')).toBeNull();
    const ws = await upgradeHeaders(`${h.wsBase}/engine.io/?EIO=4&transport=websocket`);
    expect(ws['x-good']).toBe('ok');
    expect(ws.injected).toBeUndefined();
  });
});

describe('the cookie option', () => {
  it('true sets io=<sid>; Path=/; HttpOnly; SameSite=Lax on the handshake answers only', async () => {
    const h = await t.start({ engine: { cookie: true } });
    const res = await fetch(pollingUrl(h));
    const sid = parseOpen(await res.text()).sid;
    expect(res.headers.get('set-cookie')).toBe(`io=${sid}; Path=/; HttpOnly; SameSite=Lax`);
    expect((await push(h, sid, '4x')).headers.get('set-cookie')).toBeNull();
    const ws = await upgradeHeaders(`${h.wsBase}/engine.io/?EIO=4&transport=websocket`);
    expect(ws['set-cookie']?.[0]).toMatch(/^io=[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it('takes a name and the cookie package\'s options, and comes before what listeners add', async () => {
    const h = await t.start({ engine: { cookie: { name: 'sticky', path: '/app', sameSite: 'strict', maxAge: 60 } } });
    h.engine.on('initial_headers', (headers) => {
      (headers['Set-Cookie'] as string[]).push('other=1');
    });
    const res = await fetch(pollingUrl(h));
    const sid = parseOpen(await res.text()).sid;
    expect(res.headers.getSetCookie()).toEqual([`sticky=${sid}; Max-Age=60; Path=/app; HttpOnly; SameSite=Strict`, 'other=1']);
  });
});
