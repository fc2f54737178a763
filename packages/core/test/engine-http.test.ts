// The HTTP side of Engine.IO v4: payload limits, content types, CORS and compression of polling answers.
import { request } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CloseReason } from '../src/index.js';
import { type Harness, handshake, poll, pollingUrl, push, rawGet, sessionOf, useHarness, waitFor } from './helpers.js';

const t = useHarness();

/** POSTs `chunks` with chunked transfer encoding (no Content-Length), a few milliseconds apart. */
function chunkedPost(h: Harness, sid: string, chunks: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(pollingUrl(h, sid), { method: 'POST', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(-1) : reject(err)));
    const next = (i: number): void => {
      if (i === chunks.length) return void req.end();
      req.write(chunks[i], () => setTimeout(() => next(i + 1), 5));
    };
    next(0);
  });
}

describe('maxHttpBufferSize', () => {
  it('answers a polling POST over the limit with 413 and closes the session', async () => {
    const h = await t.start({ engine: { maxHttpBufferSize: 100 } });
    const sid = await handshake(h);
    const closed = waitFor<[CloseReason, Error | undefined]>(sessionOf(h, sid), 'close');
    const seen: unknown[] = [];
    sessionOf(h, sid).on('message', (data) => seen.push(data));
    expect((await push(h, sid, '4' + 'x'.repeat(200))).status).toBe(413);
    const [reason, error] = await closed;
    expect(reason).toBe('transport error');
    expect(error).toMatchObject({ code: 'ERR_ENGINE_PAYLOAD_TOO_LARGE' });
    expect(seen).toEqual([]);
    expect((await poll(h, sid)).status).toBe(400);
  });

  it('answers 413 from the declared Content-Length, without waiting for the body', async () => {
    const h = await t.start({ engine: { maxHttpBufferSize: 100 } });
    const sid = await handshake(h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, sid), 'close');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(pollingUrl(h, sid), { method: 'POST', agent: false, headers: { 'Content-Length': '5000' } }, (res) => {
        res.resume();
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
      req.write('4' + 'x'.repeat(20)); // far less than declared, and never ended
    });
    expect(status).toBe(413);
    expect((await closed)[0]).toBe('transport error');
  });

  it('accepts a POST right at the limit', async () => {
    const h = await t.start({ engine: { maxHttpBufferSize: 100 } });
    const sid = await handshake(h);
    const body = '4' + 'y'.repeat(99);
    expect((await push(h, sid, body)).body).toBe('ok');
    expect((await poll(h, sid)).body).toBe(body);
  });

  it('counts the bytes of a chunked POST that declares no length', async () => {
    const h = await t.start({ engine: { maxHttpBufferSize: 100 } });
    const sid = await handshake(h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, sid), 'close');
    const status = await chunkedPost(h, sid, ['4', 'z'.repeat(60), 'z'.repeat(60), 'z'.repeat(60)]);
    // The server may cut the connection while the client still writes; a status, if any, is 413.
    expect([413, -1]).toContain(status);
    expect((await closed)[0]).toBe('transport error');
  });

  it('closes a websocket whose message is over the limit with code 1009', async () => {
    const h = await t.start({ engine: { maxHttpBufferSize: 100 } });
    const peer = await t.ws(`${h.wsBase}/engine.io/?EIO=4&transport=websocket`);
    const sid = (JSON.parse((await peer.text()).slice(1)) as { sid: string }).sid;
    const closed = waitFor<[CloseReason]>(sessionOf(h, sid), 'close');
    peer.send('4' + 'x'.repeat(200));
    expect(await peer.closed).toBe(1009);
    expect((await closed)[0]).toBe('transport error');
    expect(h.engine.sessionCount).toBe(0);
  });
});

describe('a POST the client abandons', () => {
  it('closes the session at once (transport error), as engine.io does', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const closed = waitFor<[CloseReason, Error | undefined]>(sessionOf(h, sid), 'close');
    const peer = connect(h.port, '127.0.0.1');
    peer.on('error', () => {});
    const { pathname, search } = new URL(pollingUrl(h, sid));
    peer.write(`POST ${pathname}${search} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n4abc`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    peer.destroy();
    const [reason, error] = await closed;
    expect(reason).toBe('transport error');
    expect(error).toMatchObject({ code: 'ERR_ENGINE_TRANSPORT_VIOLATION' });
  });
});

describe('content type of polling POSTs', () => {
  it.each([
    ['application/octet-stream', 'application/octet-stream'],
    ['application/octet-stream with parameters, in any case', 'Application/Octet-Stream; charset=binary'],
  ])('refuses %s with 400 and closes the session', async (_what, contentType) => {
    const h = await t.start();
    const sid = await handshake(h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, sid), 'close');
    const res = await push(h, sid, '4hello', { 'Content-Type': contentType });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ code: 3, message: 'Bad request' });
    expect((await closed)[0]).toBe('transport error');
  });

  it('takes text/plain as a client sends it', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    expect((await push(h, sid, '4hi', { 'Content-Type': 'text/plain;charset=UTF-8' })).body).toBe('ok');
    expect((await poll(h, sid)).body).toBe('4hi');
  });
});

describe('CORS', () => {
  const preflight = (h: Harness, origin: string): Promise<Response> =>
    fetch(pollingUrl(h), {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
  const allowedOrigin = async (h: Harness, origin: string): Promise<string | null> =>
    (await fetch(pollingUrl(h), { headers: { Origin: origin } })).headers.get('access-control-allow-origin');

  it('sends no CORS headers unless configured', async () => {
    const h = await t.start();
    const res = await fetch(pollingUrl(h), { headers: { Origin: 'https://a.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers polling and preflight for a fixed origin with credentials', async () => {
    const h = await t.start({ engine: { cors: { origin: 'https://a.example', credentials: true } } });
    const res = await fetch(pollingUrl(h), { headers: { Origin: 'https://a.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const sid = (JSON.parse((await res.text()).slice(1)) as { sid: string }).sid;

    const pre = await preflight(h, 'https://a.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/\bPOST\b/);
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/\bGET\b/);
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    // A preflight is not a handshake.
    expect(h.engine.sessionCount).toBe(1);

    // Error answers carry the headers too, so a browser can read them.
    const refused = await fetch(`${h.base}/engine.io/?EIO=5&transport=polling`, { headers: { Origin: 'https://a.example' } });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://a.example');

    const posted = await push(h, sid, '4x', { Origin: 'https://a.example' });
    expect(posted.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('allows origins from an array of strings and patterns', async () => {
    const h = await t.start({ engine: { cors: { origin: ['https://a.example', /\.b\.example$/] } } });
    expect(await allowedOrigin(h, 'https://a.example')).toBe('https://a.example');
    expect(await allowedOrigin(h, 'https://x.b.example')).toBe('https://x.b.example');
    expect(await allowedOrigin(h, 'https://evil.example')).toBeNull();
    expect((await preflight(h, 'https://x.b.example')).headers.get('access-control-allow-origin')).toBe('https://x.b.example');
    expect((await preflight(h, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows origins matching a RegExp', async () => {
    const h = await t.start({ engine: { cors: { origin: /^https:\/\/[a-z]+\.c\.example$/ } } });
    expect(await allowedOrigin(h, 'https://app.c.example')).toBe('https://app.c.example');
    expect(await allowedOrigin(h, 'https://app.c.example.evil')).toBeNull();
  });

  it('asks a function which origins to allow', async () => {
    const asked: Array<string | undefined> = [];
    const h = await t.start({
      engine: {
        cors: {
          origin: (origin, callback) => {
            asked.push(origin);
            callback(null, origin === 'https://d.example');
          },
        },
      },
    });
    expect(await allowedOrigin(h, 'https://d.example')).toBe('https://d.example');
    expect(await allowedOrigin(h, 'https://e.example')).toBeNull();
    expect(asked).toEqual(['https://d.example', 'https://e.example']);
  });
});

describe('httpCompression', () => {
  const big = 'a'.repeat(3000);

  async function bigPoll(h: Harness, headers: Record<string, string>) {
    const sid = await handshake(h);
    expect((await push(h, sid, '4' + big)).body).toBe('ok');
    return rawGet(pollingUrl(h, sid), headers);
  }

  it('gzips a large polling answer when the client accepts gzip', async () => {
    const h = await t.start();
    const res = await bigPoll(h, { 'Accept-Encoding': 'gzip, deflate' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.length).toBeLessThan(1000);
    expect(gunzipSync(res.body).toString('utf8')).toBe('4' + big);
  });

  it('deflates when only deflate is accepted', async () => {
    const h = await t.start();
    const res = await bigPoll(h, { 'Accept-Encoding': 'deflate' });
    expect(res.headers['content-encoding']).toBe('deflate');
    expect(inflateSync(res.body).toString('utf8')).toBe('4' + big);
  });

  it('sends plain text without Accept-Encoding, below the threshold, or when turned off', async () => {
    const plain = await t.start();
    const noHeader = await bigPoll(plain, {});
    expect(noHeader.headers['content-encoding']).toBeUndefined();
    expect(noHeader.body.toString('utf8')).toBe('4' + big);

    const sid = await handshake(plain);
    await push(plain, sid, '4small');
    const small = await rawGet(pollingUrl(plain, sid), { 'Accept-Encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString('utf8')).toBe('4small');

    const off = await t.start({ engine: { httpCompression: false } });
    const res = await bigPoll(off, { 'Accept-Encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toBe('4' + big);
  });

  it('honours a custom threshold', async () => {
    const h = await t.start({ engine: { httpCompression: { threshold: 5000 } } });
    const below = await bigPoll(h, { 'Accept-Encoding': 'gzip' });
    expect(below.headers['content-encoding']).toBeUndefined();
  });
});
