// Faults of the network under every transport of every generation, driven from raw TCP so that nothing
// in a client library answers for the peer:
// - half-open: the peer stops reading and writing without a FIN (its socket paused, nothing sent);
// - never reads: the same peer while the server writes to it without pause;
// - slow reader: a peer that reads, but only a little every so often, while the server writes faster.
// Each must end the session on its bound (pingInterval + pingTimeout, the 0.9 heartbeat or close timeout,
// maxWriteBuffer) with its reason and error code, and never buffer without bound. The table in README.md
// lists the outcomes.
import { createServer, type Server as HttpServer, request } from 'node:http';
import { connect as netConnect, type Socket as NetSocket } from 'node:net';
import { Server } from '@switchyard/core';
import { until } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';

const PING = { pingInterval: 200, pingTimeout: 200 };
const V09 = { heartbeatInterval: 200, heartbeatTimeout: 500, closeTimeout: 800, pollingDuration: 300 };
const MAX_WRITE_BUFFER = 256 * 1024;

/** The server side of one session, whatever its generation. */
interface Session {
  readonly readyState: string;
  send(data: string): unknown;
  once(event: 'close', listener: (reason: string, error?: Error) => void): unknown;
}

interface Transport {
  name: string;
  /** Opens the transport from raw TCP; resolves with the peer's socket once the server has the session. */
  open(h: Harness): Promise<{ peer: NetSocket; session: Session }>;
  /** What the server writes to fill the session: one message of about `bytes`. */
  message(bytes: number): string;
  halfOpen: { reason: string; bound: string; within: (h: Harness) => number };
}

interface Harness {
  io: Server;
  http: HttpServer;
  port: number;
  peers: NetSocket[];
}

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) {
    for (const peer of h.peers) peer.destroy();
    await new Promise<void>((resolve) => h.io.close(() => resolve()));
  }
  harnesses = [];
});

/** Short ping and heartbeat bounds for the half-open cases; long ones (`slow`) where only maxWriteBuffer may end it. */
async function start(timers: 'short' | 'long' = 'short'): Promise<Harness> {
  const http = createServer();
  const long = timers === 'long';
  const io = new Server(http, {
    ...(long ? { pingInterval: 20_000, pingTimeout: 20_000 } : PING),
    maxWriteBuffer: MAX_WRITE_BUFFER,
    protocol09: {
      ...(long ? { heartbeatInterval: 20_000, heartbeatTimeout: 40_000, closeTimeout: 40_000, pollingDuration: 20_000 } : V09),
      transports: ['websocket', 'flashsocket', 'htmlfile', 'xhr-multipart', 'xhr-polling', 'jsonp-polling'],
    },
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const h: Harness = { io, http, port: (http.address() as { port: number }).port, peers: [] };
  harnesses.push(h);
  return h;
}

/** A GET read to the end (a handshake). */
function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

/** A raw TCP peer that sends `head` and then neither reads nor writes: its socket is paused. */
async function rawPeer(h: Harness, head: string): Promise<NetSocket> {
  const peer = netConnect(h.port, '127.0.0.1');
  peer.on('error', () => {});
  h.peers.push(peer);
  await new Promise((resolve) => peer.once('connect', resolve));
  peer.pause();
  peer.write(head);
  return peer;
}

const UPGRADE = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

/** The Engine.IO session the server opens next. */
function nextEngineSession(h: Harness): Promise<Session> {
  return new Promise((resolve) => h.io.engine.once('connection', (session: Session) => resolve(session)));
}

function engineWebSocket(eio: 3 | 4): Transport['open'] {
  return async (h) => {
    const opened = nextEngineSession(h);
    const peer = await rawPeer(h, `GET /socket.io/?EIO=${eio}&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE}\r\n`);
    return { peer, session: await opened };
  };
}

function enginePolling(eio: 3 | 4, jsonp: boolean): Transport['open'] {
  return async (h) => {
    const opened = nextEngineSession(h);
    const query = `EIO=${eio}&transport=polling${jsonp ? '&j=0' : ''}`;
    const body = await get(h.port, `/socket.io/?${query}`);
    const sid = /sid\\?":\\?"([\w-]+)/.exec(body)?.[1];
    if (sid === undefined) throw new Error(`no sid in ${body}`);
    const session = await opened;
    // A GET that will be held, then never read, and no other request after it.
    const peer = await rawPeer(h, `GET /socket.io/?${query}&sid=${sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    return { peer, session };
  };
}

function legacy(name: string): Transport['open'] {
  return async (h) => {
    const sid = (await get(h.port, '/socket.io/1/')).split(':')[0]!;
    const upgrade = name === 'websocket' || name === 'flashsocket' ? UPGRADE : '';
    const peer = await rawPeer(h, `GET /socket.io/1/${name}/${sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n${upgrade}\r\n`);
    const sessions = h.io.legacyEngine!.sessions;
    await until(() => sessions.has(sid), `the 0.9 ${name} session`);
    return { peer, session: sessions.get(sid)! as unknown as Session };
  };
}

const pingBound = { reason: 'ping timeout', bound: 'pingInterval + pingTimeout', within: () => PING.pingInterval + PING.pingTimeout };
const heartbeatBound = { reason: 'ping timeout', bound: 'heartbeatTimeout', within: () => V09.heartbeatTimeout };
const closeBound = { reason: 'transport close', bound: 'pollingDuration + closeTimeout', within: () => V09.pollingDuration + V09.closeTimeout };
const engineMessage = (bytes: number): string => 'x'.repeat(bytes);
const legacyMessage = (bytes: number): string => `3:::${'x'.repeat(bytes)}`;

const TRANSPORTS: Transport[] = [
  { name: 'v4 websocket', open: engineWebSocket(4), message: engineMessage, halfOpen: pingBound },
  { name: 'v4 polling', open: enginePolling(4, false), message: engineMessage, halfOpen: pingBound },
  { name: 'v3 websocket', open: engineWebSocket(3), message: engineMessage, halfOpen: pingBound },
  { name: 'v3 polling', open: enginePolling(3, false), message: engineMessage, halfOpen: pingBound },
  { name: 'v3 JSONP polling', open: enginePolling(3, true), message: engineMessage, halfOpen: pingBound },
  { name: '0.9 websocket', open: legacy('websocket'), message: legacyMessage, halfOpen: heartbeatBound },
  { name: '0.9 flashsocket', open: legacy('flashsocket'), message: legacyMessage, halfOpen: heartbeatBound },
  { name: '0.9 htmlfile', open: legacy('htmlfile'), message: legacyMessage, halfOpen: heartbeatBound },
  { name: '0.9 xhr-multipart', open: legacy('xhr-multipart'), message: legacyMessage, halfOpen: heartbeatBound },
  { name: '0.9 xhr-polling', open: legacy('xhr-polling'), message: legacyMessage, halfOpen: closeBound },
  { name: '0.9 jsonp-polling', open: legacy('jsonp-polling'), message: legacyMessage, halfOpen: closeBound },
];

function closed(session: Session): Promise<{ reason: string; code: string | undefined; at: number }> {
  return new Promise((resolve) =>
    session.once('close', (reason, error) => resolve({ reason, code: (error as { code?: string } | undefined)?.code, at: performance.now() })),
  );
}

/** Writes 64 KiB messages to the session until it closes (at most 1000: 64 MiB, the test fails first). */
async function flood(t: Transport, session: Session): Promise<number> {
  let sent = 0;
  while (session.readyState === 'open' && sent < 1000) {
    session.send(t.message(64 * 1024));
    sent++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return sent;
}

describe.each(TRANSPORTS)('$name', (t) => {
  it('half-open (no FIN, nothing read or written): closed on its bound', { timeout: 20_000 }, async () => {
    const h = await start();
    const { session } = await t.open(h);
    const from = performance.now();
    const end = await closed(session);
    expect(end.reason).toBe(t.halfOpen.reason);
    // Not long after its bound: a generous margin for a loaded machine, far below "never".
    expect(end.at - from).toBeLessThan(t.halfOpen.within(h) + 3000);
  });

  it('never reads while the server writes: ERR_ENGINE_SLOW_CONSUMER past maxWriteBuffer', { timeout: 20_000 }, async () => {
    const h = await start('long');
    const { session } = await t.open(h);
    const end = closed(session);
    const sent = await flood(t, session);
    const { reason, code } = await end;
    expect([reason, code]).toEqual(['transport error', 'ERR_ENGINE_SLOW_CONSUMER']);
    // Kernel buffers take some of it; the server keeps no more than maxWriteBuffer of the rest.
    expect(sent).toBeLessThan(1000);
  });

  it('a slow reader (a few KiB now and then) while the server writes faster: ERR_ENGINE_SLOW_CONSUMER', { timeout: 20_000 }, async () => {
    const h = await start('long');
    const { peer, session } = await t.open(h);
    const end = closed(session);
    let reading = true;
    const trickle = (async () => {
      while (reading) {
        const chunk = peer.read(4096) as Buffer | null;
        void chunk;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const sent = await flood(t, session);
    const { reason, code } = await end;
    reading = false;
    await trickle;
    expect([reason, code]).toEqual(['transport error', 'ERR_ENGINE_SLOW_CONSUMER']);
    expect(sent).toBeLessThan(1000);
  });
});
