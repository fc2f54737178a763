// The 0.9 protocol at the HTTP level, byte for byte: handshake (plain and JSONP), authorization,
// overload, reaped handshakes, forced disconnects, xhr-polling and jsonp-polling, CORS.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeLegacyPayload, Server, type Socket } from '../src/index.js';
import { useLegacy } from './legacy-helpers.js';
import { rawRequest, sleep, until } from './sio-helpers.js';

const { start } = useLegacy();

async function text(url: string, options: Parameters<typeof rawRequest>[1] = {}): Promise<{ status: number; type: string | undefined; body: string; headers: Record<string, unknown> }> {
  const res = await rawRequest(url, options);
  return { status: res.status, type: res.headers['content-type'], body: res.body.toString('utf8'), headers: res.headers };
}

async function handshake(url: string): Promise<string> {
  const res = await text(`${url}/socket.io/1/?t=1`);
  expect(res.status).toBe(200);
  return res.body.split(':')[0]!;
}

describe('0.9 handshake', () => {
  it('answers sid:heartbeat:close:transports in seconds, and in JSONP form', async () => {
    const h = await start({ protocol09: { heartbeatTimeout: 30_000, closeTimeout: 45_000 } });
    const plain = await text(`${h.url}/socket.io/1/?t=1`);
    expect(plain.type).toBe('text/plain');
    expect(plain.body).toMatch(/^[\w-]{20}:30:45:websocket,htmlfile,xhr-multipart,xhr-polling,jsonp-polling$/);
    const jsonp = await text(`${h.url}/socket.io/1/?t=1&jsonp=3`);
    expect(jsonp.type).toBe('application/javascript');
    expect(jsonp.body).toMatch(/^io\.j\[3\]\("[\w-]{20}:30:45:websocket,htmlfile,xhr-multipart,xhr-polling,jsonp-polling"\);$/);
    expect((await text(`${h.url}/socket.io/1/?jsonp=alert(1)`)).status).toBe(400);
  });

  it('offers the transports asked for, flashsocket when the policy server runs', async () => {
    const h = await start({ protocol09: { transports: ['xhr-polling', 'websocket'] } });
    expect((await text(`${h.url}/socket.io/1/`)).body).toMatch(/:xhr-polling,websocket$/);
    const res = await text(`${h.url}/socket.io/1/htmlfile/${await handshake(h.url)}`);
    expect([res.status, res.body]).toEqual([400, 'transport not supported']);
  });

  it('lets the authorization hook refuse with 403 or 401, in both forms', async () => {
    const h = await start({
      protocol09: {
        authorization: (req, cb) => {
          const url = req.url ?? '';
          if (url.includes('token=good')) cb(null, true);
          else if (url.includes('token=bad')) cb(null, false);
          else cb(new Error('who are you'));
        },
      },
    });
    expect((await text(`${h.url}/socket.io/1/?token=good`)).status).toBe(200);
    expect(await text(`${h.url}/socket.io/1/?token=bad`)).toMatchObject({ status: 403, body: 'handshake unauthorized' });
    expect(await text(`${h.url}/socket.io/1/`)).toMatchObject({ status: 401, body: 'who are you' });
    expect(await text(`${h.url}/socket.io/1/?token=bad&jsonp=0`)).toMatchObject({ status: 200, body: 'io.j[0](new Error("handshake unauthorized"));' });
  });

  it('refuses (503) a handshake its authorization hook lets through after the server began closing', async () => {
    let decide: ((err: null, ok: boolean) => void) | undefined;
    const h = await start({ protocol09: { authorization: (_req, cb) => (decide = cb) } });
    const answer = text(`${h.url}/socket.io/1/`);
    await until(() => decide !== undefined);
    await h.io.legacyEngine!.close();
    decide!(null, true);
    expect(await answer).toMatchObject({ status: 503, body: 'the server is closing' });
  });

  it('answers 503 past maxSessions, counting unused handshakes', async () => {
    const h = await start({ protocol09: { maxSessions: 2 } });
    await handshake(h.url);
    await handshake(h.url);
    expect(await text(`${h.url}/socket.io/1/`)).toMatchObject({ status: 503, body: 'overloaded' });
  });

  it('reaps handshakes that never open a transport', async () => {
    const h = await start({ protocol09: { closeTimeout: 200, pollingDuration: 100 } });
    const sid = await handshake(h.url);
    await sleep(400);
    expect((await text(`${h.url}/socket.io/1/xhr-polling/${sid}`)).body).toBe('7:::1+0');
  });

  it('tells an unknown session to handshake again (7:::1+0), also over JSONP', async () => {
    const h = await start();
    expect(await text(`${h.url}/socket.io/1/xhr-polling/nope`)).toMatchObject({ status: 200, body: '7:::1+0' });
    expect((await text(`${h.url}/socket.io/1/jsonp-polling/nope?i=2`)).body).toBe('io.j[2]("7:::1+0");');
  });
});

describe('0.9 xhr-polling at the HTTP level', () => {
  it('starts with 1::, frames several packets, answers POST with 1, holds GETs for the polling duration', async () => {
    const h = await start({ protocol09: { pollingDuration: 150 } });
    const said: unknown[] = [];
    h.io.on('connection', (socket: Socket) => {
      socket.emit('hi', 'é😀');
      socket.on('say', (...args: unknown[]) => said.push(args));
    });
    const sid = await handshake(h.url);
    const first = await text(`${h.url}/socket.io/1/xhr-polling/${sid}?t=2`);
    expect(first.body).toBe('\ufffd3\ufffd1::\ufffd32\ufffd5:::{"name":"hi","args":["é😀"]}');
    const posted = await text(`${h.url}/socket.io/1/xhr-polling/${sid}`, {
      method: 'POST',
      body: encodeLegacyPayload(['5:::{"name":"say","args":[1]}', '5:::{"name":"say","args":["+"]}']),
    });
    expect([posted.status, posted.body]).toEqual([200, '1']);
    await until(() => said.length === 2);
    expect(said).toEqual([[1], ['+']]);
    const started = Date.now();
    expect((await text(`${h.url}/socket.io/1/xhr-polling/${sid}`)).body).toBe('8::');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('answers with the cors option (here: any origin, with credentials), OPTIONS preflights included', async () => {
    const h = await start({ cors: { origin: true, credentials: true, methods: ['GET', 'POST'] } });
    const origin = 'http://elsewhere.example';
    const hs = await text(`${h.url}/socket.io/1/`, { headers: { origin } });
    expect(hs.headers['access-control-allow-origin']).toBe(origin);
    expect(hs.headers['access-control-allow-credentials']).toBe('true');
    const pre = await text(`${h.url}/socket.io/1/xhr-polling/x`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(origin);
    expect(pre.headers['access-control-allow-credentials']).toBe('true');
    expect(pre.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(pre.headers['access-control-allow-headers']).toBe('content-type');
  });

  it('refuses origins outside protocol09.origins with 403, websocket upgrades included', async () => {
    const h = await start({ protocol09: { origins: ['http://good.example', /^https:\/\/.*\.good\.example$/] } });
    expect((await text(`${h.url}/socket.io/1/`, { headers: { origin: 'http://good.example' } })).status).toBe(200);
    expect((await text(`${h.url}/socket.io/1/`, { headers: { origin: 'https://a.good.example' } })).status).toBe(200);
    expect((await text(`${h.url}/socket.io/1/`)).status).toBe(200);
    expect(await text(`${h.url}/socket.io/1/`, { headers: { origin: 'http://evil.example' } })).toMatchObject({ status: 403, body: 'origin not allowed' });
    const sid = await handshake(h.url);
    const upgrade = await rawRequest(`${h.url}/socket.io/1/websocket/${sid}`, {
      headers: { origin: 'http://evil.example', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    }).catch((err: Error) => err);
    expect(upgrade).toMatchObject({ status: 403 });
  });

  it('lets the server\'s own origin through protocol09.origins, as the cors rule does', async () => {
    const h = await start({ protocol09: { origins: ['http://good.example'] } });
    const own = `http://127.0.0.1:${h.port}`;
    // rawRequest sends Host: 127.0.0.1:<port>; an Origin equal to it is the same site, never cross-site.
    expect((await text(`${h.url}/socket.io/1/`, { headers: { origin: own } })).status).toBe(200);
    expect((await text(`${h.url}/socket.io/1/`, { headers: { origin: 'http://127.0.0.1:1' } })).status).toBe(403);
    const sid = await handshake(h.url);
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/socket.io/1/websocket/${sid}`, { origin: own });
    const opened = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('error', () => resolve(false));
    });
    ws.terminate();
    expect(opened).toBe(true);
  });

  it('closes a session whose POST does not parse, and one that stays away past the close timeout', async () => {
    const h = await start({ protocol09: { closeTimeout: 200, pollingDuration: 100 } });
    const reasons: string[] = [];
    h.io.on('connection', (socket: Socket) => socket.on('disconnect', (reason) => reasons.push(reason)));
    const bad = await handshake(h.url);
    await text(`${h.url}/socket.io/1/xhr-polling/${bad}`);
    await text(`${h.url}/socket.io/1/xhr-polling/${bad}`, { method: 'POST', body: '9::' });
    const idle = await handshake(h.url);
    await text(`${h.url}/socket.io/1/xhr-polling/${idle}`);
    await until(() => reasons.length === 2, 'two disconnects', 3000);
    expect(reasons.sort()).toEqual(['parse error', 'transport close']);
    expect(h.io.legacyEngine!.sessions.size).toBe(0);
  });

  it('delivers a server-side disconnect with the next poll', async () => {
    const h = await start();
    const sid = await handshake(h.url);
    expect((await text(`${h.url}/socket.io/1/xhr-polling/${sid}`)).body).toBe('1::');
    const [socket] = [...h.io.sockets.sockets.values()];
    socket!.disconnect(true);
    expect((await text(`${h.url}/socket.io/1/xhr-polling/${sid}`)).body).toBe('0::');
    expect(h.io.legacyEngine!.sessions.size).toBe(0);
  });

  it('refuses timings a 0.9 client cannot keep', () => {
    expect(() => new Server({ protocol09: { heartbeatInterval: 60_000 } })).toThrow(/heartbeatInterval must be below heartbeatTimeout/);
    expect(() => new Server({ protocol09: { closeTimeout: 10_000 } })).toThrow(/pollingDuration must be below closeTimeout/);
    expect(() => new Server({ protocol09: { transports: ['carrier-pigeon' as never] } })).toThrow(TypeError);
  });

  it('refuses a body over maxHttpBufferSize with 413', async () => {
    const h = await start({ maxHttpBufferSize: 100 });
    const sid = await handshake(h.url);
    await text(`${h.url}/socket.io/1/xhr-polling/${sid}`);
    const res = await text(`${h.url}/socket.io/1/xhr-polling/${sid}`, { method: 'POST', body: `3:::${'x'.repeat(200)}` });
    expect(res.status).toBe(413);
    await until(() => h.io.legacyEngine!.sessions.size === 0);
  });

  it.each([
    ['/socket.io/1/xhr-polling/SID?disconnect'],
    ['/socket.io/1//SID/?disconnect=1'],
    ['/socket.io/1/SID'],
  ])('ends the session on the forced disconnect form %s', async (form) => {
    const h = await start();
    const reasons: string[] = [];
    h.io.on('connection', (socket: Socket) => socket.on('disconnect', (reason) => reasons.push(reason)));
    const sid = await handshake(h.url);
    await text(`${h.url}/socket.io/1/xhr-polling/${sid}`);
    const res = await text(h.url + form.replace('SID', sid));
    expect(res.status).toBe(200);
    expect(reasons).toEqual(['forced close']);
    expect((await text(`${h.url}/socket.io/1/xhr-polling/${sid}`)).body).toBe('7:::1+0');
  });

  it.each([['/socket.io/1/xhr-polling/SID?disconnect'], ['/socket.io/1/SID']])(
    'drops a handshake that never opened a transport on the forced disconnect form %s',
    async (form) => {
      const h = await start();
      const sid = await handshake(h.url);
      expect((await text(h.url + form.replace('SID', sid))).status).toBe(200);
      expect((await text(`${h.url}/socket.io/1/xhr-polling/${sid}`)).body).toBe('7:::1+0');
    },
  );
});

describe('0.9 jsonp-polling at the HTTP level', () => {
  it('answers io.j[i]("…") escaped for a script, and reads d= with a JSON parser', async () => {
    const h = await start();
    const said: unknown[] = [];
    h.io.on('connection', (socket: Socket) => {
      socket.emit('evil', '</script><script>alert(1)</script>\u2028"\\');
      socket.on('say', (...args: unknown[]) => said.push(args));
    });
    const sid = await handshake(h.url);
    const res = await text(`${h.url}/socket.io/1/jsonp-polling/${sid}?t=1&i=4`);
    expect(res.type).toBe('text/javascript; charset=UTF-8');
    expect(res.body).toMatch(/^io\.j\[4\]\(".*"\);$/s);
    expect(res.body).not.toContain('</script>');
    expect(res.body).not.toContain('\u2028');
    const inner = JSON.parse(res.body.slice('io.j[4]('.length, -2)) as string;
    expect(inner).toBe('\ufffd3\ufffd1::\ufffd70\ufffd5:::{"name":"evil","args":["</script><script>alert(1)</script>\u2028\\"\\\\"]}');
    const packet = '5:::{"name":"say","args":["a\\nb&c=d"]}';
    const posted = await text(`${h.url}/socket.io/1/jsonp-polling/${sid}?t=2&i=4`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'd=' + encodeURIComponent(JSON.stringify(packet)),
    });
    expect([posted.status, posted.body]).toEqual([200, '1']);
    await until(() => said.length === 1);
    expect(said).toEqual([['a\nb&c=d']]);
    const bad = await text(`${h.url}/socket.io/1/jsonp-polling/${sid}`, { method: 'POST', body: 'd=not-json' });
    expect(bad.status).toBe(400);
    await until(() => h.io.legacyEngine!.sessions.size === 0);
  });
});
