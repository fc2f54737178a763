// The `cors` option as a security policy for every client generation: CORS headers from the same
// options on the 0.9 endpoint as on Engine.IO v3/v4, and handshakes and websocket upgrades from an Origin
// `cors.origin` does not allow refused with 403 (cross-site websocket hijacking), on every generation.
import { describe, expect, it } from 'vitest';
import type { ServerOptions } from '../src/index.js';
import { upgradeStatus } from '../../testing/src/http-probes.js';
import { rawRequest, until, useSio } from './sio-helpers.js';

const { start } = useSio();

const GOOD = 'https://good.example';
const EVIL = 'https://evil.example';
const CORS: ServerOptions = { cors: { origin: GOOD, credentials: true } };

async function legacyHandshake(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await rawRequest(`${url}/socket.io/1/`, { headers });
  expect(res.status).toBe(200);
  return res.body.toString().split(':')[0]!;
}

describe('the 0.9 endpoint obeys the cors option', () => {
  it('refuses a handshake from an origin cors does not allow, with no CORS headers for it', async () => {
    const h = await start(CORS);
    const evil = await rawRequest(`${h.url}/socket.io/1/`, { headers: { origin: EVIL } });
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(h.io.legacyEngine!.sessions.size).toBe(0);
  });

  it("answers an allowed origin with the cors option's headers, on the handshake and a preflight", async () => {
    const h = await start({ cors: { origin: GOOD, credentials: true, methods: ['GET', 'POST'] } });
    const good = await rawRequest(`${h.url}/socket.io/1/`, { headers: { origin: GOOD } });
    expect(good.status).toBe(200);
    expect(good.headers['access-control-allow-origin']).toBe(GOOD);
    expect(good.headers['access-control-allow-credentials']).toBe('true');
    const sid = good.body.toString().split(':')[0]!;
    const pre = await rawRequest(`${h.url}/socket.io/1/xhr-polling/${sid}`, {
      method: 'OPTIONS',
      headers: { origin: GOOD, 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(GOOD);
    expect(pre.headers['access-control-allow-methods']).toBe('GET,POST');
    const evilPre = await rawRequest(`${h.url}/socket.io/1/xhr-polling/${sid}`, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    expect(evilPre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('adds no CORS headers when no cors option is given (as for the other generations)', async () => {
    const h = await start();
    const res = await rawRequest(`${h.url}/socket.io/1/`, { headers: { origin: EVIL } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it.each(['xhr-polling', 'jsonp-polling', 'htmlfile', 'xhr-multipart'])('refuses %s requests from a disallowed origin', async (transport) => {
    const h = await start(CORS);
    const sid = await legacyHandshake(h.url);
    const get = await rawRequest(`${h.url}/socket.io/1/${transport}/${sid}?i=0`, { headers: { origin: EVIL } });
    expect(get.status).toBe(403);
    const post = await rawRequest(`${h.url}/socket.io/1/${transport}/${sid}?i=0`, { method: 'POST', headers: { origin: EVIL }, body: '1::' });
    expect(post.status).toBe(403);
  });

  it.each(['websocket', 'flashsocket'])('refuses a %s upgrade from a disallowed origin', async (transport) => {
    const h = await start({ ...CORS, protocol09: { transports: ['websocket', 'flashsocket', 'xhr-polling'] } });
    const sid = await legacyHandshake(h.url);
    expect(await upgradeStatus(`${h.url}/socket.io/1/${transport}/${sid}`, { origin: EVIL })).toBe(403);
    expect(await upgradeStatus(`${h.url}/socket.io/1/${transport}/${await legacyHandshake(h.url)}`, { origin: GOOD })).toBe(101);
  });

  it('refuses a forced disconnect from a disallowed origin, and keeps the session', async () => {
    const h = await start(CORS);
    const sid = await legacyHandshake(h.url);
    expect((await rawRequest(`${h.url}/socket.io/1/xhr-polling/${sid}`)).body.toString()).toBe('1::');
    const refused = await rawRequest(`${h.url}/socket.io/1/xhr-polling/${sid}?disconnect=1`, { headers: { origin: EVIL } });
    expect(refused.status).toBe(403);
    expect(h.io.legacyEngine!.sessions.get(sid)?.readyState).toBe('open');
    expect((await rawRequest(`${h.url}/socket.io/1/xhr-polling/${sid}?disconnect=1`, { headers: { origin: GOOD } })).status).toBe(200);
    expect(h.io.legacyEngine!.sessions.has(sid)).toBe(false);
  });

  it('lets protocol09.origins narrow cors, never widen it', async () => {
    const h = await start({ cors: { origin: [GOOD, 'https://other.example'] }, protocol09: { origins: [GOOD, EVIL] } });
    expect((await rawRequest(`${h.url}/socket.io/1/`, { headers: { origin: GOOD } })).status).toBe(200);
    expect((await rawRequest(`${h.url}/socket.io/1/`, { headers: { origin: 'https://other.example' } })).status).toBe(403);
    expect((await rawRequest(`${h.url}/socket.io/1/`, { headers: { origin: EVIL } })).status).toBe(403);
    // The other generations follow cors alone.
    expect((await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://other.example' } })).status).toBe(200);
  });
});

describe('cross-site websocket hijacking: handshakes and upgrades from origins cors does not allow', () => {
  it.each(['4', '3'])('Engine.IO v%s: refuses the polling handshake and both kinds of websocket upgrade', async (eio) => {
    const h = await start(CORS);
    const base = `${h.url}/socket.io/?EIO=${eio}`;
    expect((await rawRequest(`${base}&transport=polling`, { headers: { origin: EVIL } })).status).toBe(403);
    expect(await upgradeStatus(`${base}&transport=websocket`, { origin: EVIL })).toBe(403);
    // A session opened without an Origin (a non-browser client) cannot be upgraded from a hostile page.
    const open = await rawRequest(`${base}&transport=polling`);
    expect(open.status).toBe(200);
    const sid = /"sid":"([^"]+)"/.exec(open.body.toString())![1]!;
    expect(await upgradeStatus(`${base}&transport=websocket&sid=${sid}`, { origin: EVIL })).toBe(403);
    expect(h.io.engine.sessionCount).toBe(1);
  });

  it.each(['4', '3'])('Engine.IO v%s: lets in an allowed origin, the server\'s own origin and a request without Origin', async (eio) => {
    const h = await start(CORS);
    const base = `${h.url}/socket.io/?EIO=${eio}`;
    expect((await rawRequest(`${base}&transport=polling`, { headers: { origin: GOOD } })).status).toBe(200);
    expect((await rawRequest(`${base}&transport=polling`, { headers: { origin: h.url } })).status).toBe(200);
    expect((await rawRequest(`${base}&transport=polling`)).status).toBe(200);
    expect(await upgradeStatus(`${base}&transport=websocket`, { origin: GOOD })).toBe(101);
    expect(await upgradeStatus(`${base}&transport=websocket`)).toBe(101);
  });

  it('0.9: refuses the handshake and the websocket from a disallowed origin, not a request without Origin', async () => {
    const h = await start(CORS);
    expect((await rawRequest(`${h.url}/socket.io/1/`, { headers: { origin: EVIL } })).status).toBe(403);
    expect(await upgradeStatus(`${h.url}/socket.io/1/websocket/${await legacyHandshake(h.url)}`, { origin: EVIL })).toBe(403);
    expect(await upgradeStatus(`${h.url}/socket.io/1/websocket/${await legacyHandshake(h.url)}`)).toBe(101);
    // socket.io-client 0.9's Node websocket (ws 0.4) sends `Origin: host:port`, which no browser sends.
    expect(await upgradeStatus(`${h.url}/socket.io/1/websocket/${await legacyHandshake(h.url)}`, { origin: '127.0.0.1:1' })).toBe(101);
    // A sandboxed iframe or a file: page sends `null`: a browser, from no allowed origin.
    expect((await rawRequest(`${h.url}/socket.io/1/`, { headers: { origin: 'null' } })).status).toBe(403);
  });

  it('refuses a JSONP handshake a hostile page loads as a script (no Origin; Sec-Fetch-Site and Referer tell)', async () => {
    const h = await start(CORS);
    const script = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', referer: `${EVIL}/page.html` };
    expect((await rawRequest(`${h.url}/socket.io/1/?jsonp=0`, { headers: script })).status).toBe(403);
    expect((await rawRequest(`${h.url}/socket.io/?EIO=3&transport=polling&j=0`, { headers: script })).status).toBe(403);
    const hidden = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' };
    expect((await rawRequest(`${h.url}/socket.io/1/?jsonp=0`, { headers: hidden })).status).toBe(403);
    const fromGood = { ...script, referer: `${GOOD}/app/` };
    expect((await rawRequest(`${h.url}/socket.io/1/?jsonp=0`, { headers: fromGood })).status).toBe(200);
    expect((await rawRequest(`${h.url}/socket.io/?EIO=3&transport=polling&j=0`, { headers: fromGood })).status).toBe(200);
  });

  it('is off with strictOrigin: false (socket.io 4 behaviour: CORS headers only)', async () => {
    const h = await start({ ...CORS, strictOrigin: false });
    const res = await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: EVIL } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(GOOD); // the cors package's answer: the browser keeps it from the page
    expect(await upgradeStatus(`${h.url}/socket.io/?EIO=4&transport=websocket`, { origin: EVIL })).toBe(101);
    expect((await rawRequest(`${h.url}/socket.io/1/`, { headers: { origin: EVIL } })).status).toBe(200);
    await until(() => h.io.engine.sessionCount === 1);
  });

  it.each([
    ['a RegExp', { origin: /^https:\/\/good\./ }],
    ['an array', { origin: ['https://x.example', GOOD] }],
    ['a function', { origin: (origin: string | undefined, cb: (err: Error | null, allow?: boolean) => void) => cb(null, origin === GOOD) }],
  ])('reads cors.origin given as %s', async (_what, cors) => {
    const h = await start({ cors } as ServerOptions);
    for (const url of [`${h.url}/socket.io/?EIO=4&transport=polling`, `${h.url}/socket.io/1/`]) {
      expect((await rawRequest(url, { headers: { origin: GOOD } })).status).toBe(200);
      expect((await rawRequest(url, { headers: { origin: EVIL } })).status).toBe(403);
    }
  });
});
