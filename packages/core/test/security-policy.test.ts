// One security policy for every client generation: each row of docs/security.md's table, run against the
// handshake (and websocket, and transport requests) of Engine.IO v4, Engine.IO v3 and the 0.9 protocol,
// with raw HTTP as a browser or a hostile client would send it.
import { describe, expect, it } from 'vitest';
import type { ServerOptions, Socket } from '../src/index.js';
import { upgradeStatus } from '../../testing/src/http-probes.js';
import { rawRequest, type SioHarness, until, useSio } from './sio-helpers.js';

const { start } = useSio();

interface Generation {
  name: string;
  /** The handshake's URL (a polling GET). */
  handshakeUrl(h: SioHarness): string;
  /** Opens a session over polling; its id. */
  open(h: SioHarness): Promise<string>;
  /** The URL a session's polling requests go to. */
  pollUrl(h: SioHarness, sid: string): string;
  /** The URL of a websocket that opens (or joins) a session. */
  websocketUrl(h: SioHarness): Promise<string>;
}

async function openEio(h: SioHarness, eio: string): Promise<string> {
  const res = await rawRequest(`${h.url}/socket.io/?EIO=${eio}&transport=polling`);
  expect(res.status).toBe(200);
  return /"sid":"([^"]+)"/.exec(res.body.toString())![1]!;
}

function eio(version: '4' | '3'): Generation {
  return {
    name: `Engine.IO v${version}`,
    handshakeUrl: (h) => `${h.url}/socket.io/?EIO=${version}&transport=polling`,
    open: (h) => openEio(h, version),
    pollUrl: (h, sid) => `${h.url}/socket.io/?EIO=${version}&transport=polling&sid=${sid}`,
    websocketUrl: (h) => Promise.resolve(`${h.url}/socket.io/?EIO=${version}&transport=websocket`),
  };
}

async function handshake09(h: SioHarness): Promise<string> {
  const res = await rawRequest(`${h.url}/socket.io/1/`);
  expect(res.status).toBe(200);
  return res.body.toString().split(':')[0]!;
}

const V09: Generation = {
  name: '0.9',
  handshakeUrl: (h) => `${h.url}/socket.io/1/`,
  async open(h) {
    const sid = await handshake09(h);
    // The session starts with its first transport request, answered `1::` at once.
    expect((await rawRequest(V09.pollUrl(h, sid))).body.toString()).toBe('1::');
    return sid;
  },
  pollUrl: (h, sid) => `${h.url}/socket.io/1/xhr-polling/${sid}`,
  websocketUrl: async (h) => `${h.url}/socket.io/1/websocket/${await handshake09(h)}`,
};

const GENERATIONS: readonly Generation[] = [eio('4'), eio('3'), V09];

const GOOD = 'https://good.example';
const EVIL = 'https://evil.example';

describe.each(GENERATIONS)('$name', (gen) => {
  it('cors: an allowed origin gets the CORS headers of the cors option', async () => {
    const h = await start({ cors: { origin: GOOD, credentials: true } });
    const res = await rawRequest(gen.handshakeUrl(h), { headers: { origin: GOOD } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(GOOD);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
  });

  it('cors + strictOrigin: a page from another origin is refused (403), handshake and websocket', async () => {
    const h = await start({ cors: { origin: GOOD } });
    expect((await rawRequest(gen.handshakeUrl(h), { headers: { origin: EVIL } })).status).toBe(403);
    expect(await upgradeStatus(await gen.websocketUrl(h), { origin: EVIL })).toBe(403);
    expect(await upgradeStatus(await gen.websocketUrl(h))).toBe(101);
  });

  it('allowRequest: a refusal answers the handshake 403, over polling and websocket', async () => {
    const h = await start({ allowRequest: (req, callback) => callback(null, req.headers['x-allowed'] === 'yes') });
    expect((await rawRequest(gen.handshakeUrl(h))).status).toBe(403);
    expect((await rawRequest(gen.handshakeUrl(h), { headers: { 'x-allowed': 'yes' } })).status).toBe(200);
    if (gen !== V09) expect(await upgradeStatus(await gen.websocketUrl(h))).toBe(403);
  });

  it('maxSessions: counts every generation together; past it the handshake is answered 503', async () => {
    const h = await start({ maxSessions: 2 });
    await V09.open(h);
    await openEio(h, '4');
    expect((await rawRequest(gen.handshakeUrl(h))).status).toBe(503);
    if (gen !== V09) expect(await upgradeStatus(await gen.websocketUrl(h))).toBe(503);
  });

  it('engine.use(): a middleware that fails refuses the handshake, and any later request of a session', async () => {
    const h = await start();
    const sid = await gen.open(h);
    h.io.engine.use((req, _res, next) => next(req.headers['x-deny'] === undefined ? undefined : new Error('denied')));
    const deny = { 'x-deny': '1' };
    expect((await rawRequest(gen.handshakeUrl(h), { headers: deny })).status).toBe(400);
    expect((await rawRequest(gen.pollUrl(h, sid), { headers: deny })).status).toBe(400);
    expect(await upgradeStatus(await gen.websocketUrl(h), deny)).toBe(400);
  });

  it('maxHttpBufferSize: a larger POST body is answered 413 and ends its session', async () => {
    const h = await start({ maxHttpBufferSize: 1000 });
    const sid = await gen.open(h);
    const res = await rawRequest(gen.pollUrl(h, sid), { method: 'POST', body: 'x'.repeat(5000), headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(413);
    await until(() => h.io.engine.sessionCount === 0 && (h.io.legacyEngine?.sessionCount ?? 0) === 0);
  });

  it('io.use(): a namespace middleware that refuses answers the client (0.9 has no message: `7:::2`, unauthorized)', async () => {
    const h = await start();
    h.io.use((_socket: Socket, next) => next(new Error('not you')));
    // A 0.9 session starts with its first poll, which is read below.
    const sid = gen === V09 ? await handshake09(h) : await gen.open(h);
    if (gen.name === 'Engine.IO v4') {
      expect((await rawRequest(gen.pollUrl(h, sid), { method: 'POST', body: '40' })).status).toBe(200);
    }
    const expected = gen === V09 ? '7:::2' : 'not you';
    let body = '';
    for (let i = 0; i < 3 && !body.includes(expected); i++) body += (await rawRequest(gen.pollUrl(h, sid))).body.toString();
    expect(body).toContain(expected);
    expect(h.io.sockets.sockets.size).toBe(0);
  });
});

describe('options that do not apply to every generation, as docs/security.md says', () => {
  it('connectTimeout closes an Engine.IO v4 connection that joins no namespace', async () => {
    const h = await start({ connectTimeout: 100 });
    const sid = await openEio(h, '4');
    // The close packet waits for the client's next poll.
    expect((await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).body.toString()).toBe('1');
    await until(() => h.io.engine.sessionCount === 0);
  });

  it.each([
    ['Engine.IO v3', (h: SioHarness) => openEio(h, '3')],
    ['0.9', (h: SioHarness) => V09.open(h)],
  ] as const)('%s clients are joined to / at once, so connectTimeout has nothing to wait for', async (_name, open) => {
    const h = await start({ connectTimeout: 100 });
    await open(h);
    await until(() => h.io.sockets.sockets.size === 1);
  });

  it('rejects the new options when they are not positive', () => {
    const bad: ServerOptions[] = [{ maxSessions: 0 }, { maxNestingDepth: -1 }, { maxRoomsPerSocket: 1.5 }];
    for (const options of bad) expect(() => start(options)).rejects.toThrow(TypeError);
  });
});
