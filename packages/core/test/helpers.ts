// Shared plumbing for the integration tests: a real http server on 127.0.0.1 with an Engine attached,
// torn down after every test, plus small raw clients (fetch, http, ws) and event helpers.
import { once } from 'node:events';
import { createServer, get as httpGet, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { Engine, type EngineOptions, type Session } from '../src/index.js';
// until, within and sleep are the test kit's (@switchyard/testing), from its source: that package depends on
// core, so core cannot depend on it.
import { until } from '../../testing/src/wait.js';

export { sleep, until, within } from '../../testing/src/wait.js';

export interface Harness {
  http: Server;
  engine: Engine;
  port: number;
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** `ws://127.0.0.1:PORT` */
  wsBase: string;
}

export interface StartOptions {
  engine?: EngineOptions;
  /** Echo every message back to its session (default true). */
  echo?: boolean;
  /** Runs on the fresh http server before the engine is attached (host listeners go here). */
  setup?: (server: Server) => void;
  /** Attach the engine to the server (default true); otherwise wire it up yourself in `setup`. */
  attach?: boolean;
}

type Cleanup = () => unknown;

/** Registers an afterEach that undoes, last first, what the test started (clients, engines, http servers). */
export function useHarness() {
  let cleanups: Cleanup[] = [];
  afterEach(async () => {
    const pending = cleanups.reverse();
    cleanups = [];
    for (const cleanup of pending) await cleanup();
  });

  /** Registers something to undo after the test. */
  const defer = (cleanup: Cleanup): void => {
    cleanups.push(cleanup);
  };

  /** A new engine that is closed after the test. */
  const engine = (options: EngineOptions = {}, echo = true): Engine => {
    const created = new Engine(options);
    if (echo) created.on('connection', (session) => session.on('message', (data) => session.send(data)));
    defer(() => created.close());
    return created;
  };

  const start = async (options: StartOptions = {}): Promise<Harness> => {
    const server = createServer();
    defer(async () => {
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    options.setup?.(server);
    // Registered after the server so that it is closed first.
    const created = engine(options.engine, options.echo ?? true);
    if (options.attach ?? true) created.attach(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return { http: server, engine: created, port, base: `http://127.0.0.1:${port}`, wsBase: `ws://127.0.0.1:${port}` };
  };

  /** A raw websocket client, terminated after the test. */
  const ws = async (url: string): Promise<WsPeer> => {
    const peer = new WsPeer(url);
    defer(() => peer.ws.terminate());
    await peer.opened;
    return peer;
  };

  return { start, engine, ws, defer };
}


/** Anything with `once` and `off`: node's EventEmitter (typed or not) or engine.io-client's emitter. */
interface Emits {
  once(event: never, listener: never): unknown;
  off(event: never, listener: never): unknown;
}

/** The arguments of the next `event` on an EventEmitter or an engine.io-client emitter. */
export function waitFor<T extends unknown[] = unknown[]>(emitter: Emits, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as unknown as T);
    };
    const timer = setTimeout(() => {
      emitter.off(event as never, listener as never);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    emitter.once(event as never, listener as never);
  });
}

// ---- raw HTTP long-polling -------------------------------------------------------------------------

export const SEP = '\x1e';

export function pollingUrl(h: Harness, sid?: string, extra = ''): string {
  return `${h.base}/engine.io/?EIO=4&transport=polling${sid === undefined ? '' : `&sid=${sid}`}${extra}`;
}

/** The server side of session `sid`. */
export function sessionOf(h: Harness, sid: string): Session {
  const session = h.engine.sessions.get(sid);
  if (session === undefined) throw new Error(`no session ${sid}`);
  return session;
}

/** Resolves once the server holds a GET for this session (a packet sent now leaves at once). */
export function getHeld(h: Harness, sid: string): Promise<void> {
  return until(() => h.engine.sessions.get(sid)?.writable === true);
}

/** A GET for this session, once the server holds it; its answer is still to come. */
export async function heldPoll(h: Harness, sid: string): Promise<{ answer: Promise<Answer> }> {
  const answer = poll(h, sid);
  await getHeld(h, sid);
  return { answer };
}

/** The answer to a request naming a session that is gone. */
export const SESSION_GONE = { code: 1, message: 'Session ID unknown' };

export interface OpenPacket {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** Parses `0{…}` (the open packet). */
export function parseOpen(body: string): OpenPacket {
  if (!body.startsWith('0')) throw new Error(`not an open packet: ${JSON.stringify(body)}`);
  return JSON.parse(body.slice(1)) as OpenPacket;
}

/** Opens a polling session and returns its id. */
export async function handshake(h: Harness): Promise<string> {
  const res = await fetch(pollingUrl(h));
  if (res.status !== 200) throw new Error(`handshake answered ${res.status}`);
  return parseOpen(await res.text()).sid;
}

export interface Answer {
  status: number;
  body: string;
  headers: Headers;
}

async function answer(res: Response): Promise<Answer> {
  return { status: res.status, body: await res.text(), headers: res.headers };
}

export async function poll(h: Harness, sid: string): Promise<Answer> {
  return answer(await fetch(pollingUrl(h, sid)));
}

export async function push(h: Harness, sid: string, body: string, headers?: Record<string, string>): Promise<Answer> {
  return answer(await fetch(pollingUrl(h, sid), { method: 'POST', body, ...(headers ? { headers } : {}) }));
}

/** A GET with node:http (no automatic decompression): status, headers and the raw body bytes. */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Sends a websocket upgrade request over a bare TCP socket; resolves with all it received once the server ends it. */
export function rawUpgrade(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`no end of answer; received so far: ${JSON.stringify(received)}`));
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
  });
}

/** What `ws` reports when the server refuses an upgrade with a plain HTTP answer. */
export function refusedUpgrade(url: string): Promise<{ status: number; contentType: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.on('error', () => {});
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body });
      });
    });
  });
}

// ---- raw websocket ---------------------------------------------------------------------------------

export interface Frame {
  data: string | Buffer;
  binary: boolean;
}

/** A `ws` client that queues what it receives, so no frame is missed between two awaits. */
export class WsPeer {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  /** Resolves with the close code once the connection is gone. */
  readonly closed: Promise<number>;
  #frames: Frame[] = [];
  #waiting: ((frame: Frame) => void) | undefined;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code: number) => resolve(code)));
    this.ws.on('error', () => {});
    this.ws.on('message', (raw: Buffer, binary: boolean) => {
      const frame = { data: binary ? raw : raw.toString('utf8'), binary };
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) waiting(frame);
      else this.#frames.push(frame);
    });
  }

  send(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  /** The next frame, whether it already arrived or not. */
  next(timeoutMs = 5000): Promise<Frame> {
    const queued = this.#frames.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        reject(new Error(`no websocket frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting = (frame) => {
        clearTimeout(timer);
        resolve(frame);
      };
    });
  }

  /** The next text frame's content. */
  async text(timeoutMs = 5000): Promise<string> {
    const frame = await this.next(timeoutMs);
    if (frame.binary) throw new Error('expected a text frame, got a binary one');
    return frame.data as string;
  }
}

/** Opens a websocket-first session; returns the peer and the parsed open packet. */
export async function openWebSocketSession(
  ws: (url: string) => Promise<WsPeer>,
  h: Harness,
): Promise<{ peer: WsPeer; open: OpenPacket }> {
  const peer = await ws(`${h.wsBase}/engine.io/?EIO=4&transport=websocket`);
  return { peer, open: parseOpen(await peer.text()) };
}
