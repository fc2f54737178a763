// socket.io's compress(false) (engine.io's `send(data, { compress: false })`): the message is sent as it is,
// without permessage-deflate over websocket, and a polling answer made only of such messages is not gzipped.
// Measured on the wire: the bytes the server wrote to the client's connection, and the answer's headers.
import type { Socket as NetSocket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { handshake, openWebSocketSession, pollingUrl, rawGet, sessionOf, useHarness } from './helpers.js';
import { once, useSio } from './sio-helpers.js';

const t = useHarness();
const sio = useSio();

// Compresses to a few hundred bytes.
const big = 'a'.repeat(100_000);

/** Counts what the http server writes to its connections (one per client here). */
function wireCounter(http: { on(event: 'connection', fn: (socket: NetSocket) => void): unknown }): () => number {
  const sockets: NetSocket[] = [];
  http.on('connection', (socket) => sockets.push(socket));
  return () => sockets.reduce((sum, socket) => sum + socket.bytesWritten, 0);
}

/** The bytes written while `send` runs and the client reads what it sent. */
async function bytesFor(written: () => number, send: () => void, received: () => Promise<unknown>): Promise<number> {
  const before = written();
  send();
  await received();
  return written() - before;
}

describe('compress: false on the engine', () => {
  it('over websocket with permessage-deflate, a message sent with compress: false is not deflated', async () => {
    let written = (): number => 0;
    const h = await t.start({ engine: { perMessageDeflate: { threshold: 0 } }, echo: false, setup: (http) => (written = wireCounter(http)) });
    const { peer, open } = await openWebSocketSession(t.ws, h);
    expect(peer.ws.extensions).toContain('permessage-deflate');
    const session = sessionOf(h, open.sid);
    const deflated = await bytesFor(written, () => session.send(big), () => peer.text());
    const plain = await bytesFor(written, () => session.send(big, { compress: false }), () => peer.text());
    expect(deflated).toBeLessThan(2_000);
    expect(plain).toBeGreaterThan(big.length);
  });

  it('over polling, an answer of compress: false messages only is not gzipped; one with any other message is', async () => {
    const h = await t.start({ echo: false });
    const sid = await handshake(h);
    const session = sessionOf(h, sid);
    const flushed: unknown[] = [];
    session.on('flush', (packets: { options?: { compress: boolean } }[]) => flushed.push(...packets.map((p) => p.options?.compress)));
    session.send(big, { compress: false });
    const plain = await rawGet(pollingUrl(h, sid), { 'Accept-Encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe('4' + big);
    session.send(big, { compress: false });
    session.send('x');
    const mixed = await rawGet(pollingUrl(h, sid), { 'Accept-Encoding': 'gzip' });
    expect(mixed.headers['content-encoding']).toBe('gzip');
    // The flush events tell each message's flag, as engine.io's do.
    expect(flushed).toEqual([false, false, true]);
  });
});

describe('compress(false) on the socket.io API, over websocket with permessage-deflate', () => {
  it('socket.compress(false).emit and io.compress(false).emit are sent uncompressed; a plain emit is deflated', async () => {
    let written = (): number => 0;
    const h = await sio.start({ perMessageDeflate: { threshold: 0 } }, { setup: (http) => (written = wireCounter(http)) });
    const [client, socket] = await h.pair('/', { transports: ['websocket'] }, 'websocket');
    const got = (): Promise<unknown> => once(client, 'data');
    const deflated = await bytesFor(written, () => socket.emit('data', big), got);
    const toOne = await bytesFor(written, () => socket.compress(false).emit('data', big), got);
    // A broadcast shares one prepared message between its recipients: the flag must reach it too.
    const toAll = await bytesFor(written, () => h.io.compress(false).emit('data', big), got);
    expect(deflated).toBeLessThan(2_000);
    expect(toOne).toBeGreaterThan(big.length);
    expect(toAll).toBeGreaterThan(big.length);
  });
});
