// Plumbing for the 0.9 protocol tests: a Server on 127.0.0.1 and the official socket.io-client 0.9.16
// (its Node build), torn down after every test, plus a raw handshake and a raw held streaming GET for
// the transports no client runs in Node.
import { get as httpGet, type Server as HttpServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { afterEach } from 'vitest';
import type { ServerOptions } from '../src/index.js';
import { once, rawRequest, type SioHarness, useSio } from './sio-helpers.js';

const require = createRequire(import.meta.url);

/** A namespace socket of the 0.9 client (`io.connect(url)` or `socket.of('/chat')`). */
export interface V09Socket {
  socket: V09Manager;
  name: string;
  on(event: string, listener: (...args: any[]) => void): V09Socket; // eslint-disable-line @typescript-eslint/no-explicit-any
  once(event: string, listener: (...args: any[]) => void): V09Socket; // eslint-disable-line @typescript-eslint/no-explicit-any
  removeListener(event: string, listener: (...args: any[]) => void): V09Socket; // eslint-disable-line @typescript-eslint/no-explicit-any
  emit(event: string, ...args: unknown[]): V09Socket;
  send(data: string, fn?: () => void): V09Socket;
  json: { send(data: unknown, fn?: () => void): void };
  disconnect(): V09Socket;
}

/** The connection under the namespace sockets (`io.Socket`). */
export interface V09Manager {
  sessionid: string;
  connected: boolean;
  transport: { name: string } | undefined;
  options: Record<string, unknown>;
  of(name: string): V09Socket;
  disconnect(): void;
  on(event: string, listener: (...args: any[]) => void): V09Manager; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface V09Module {
  version: string;
  /** The transports a new connection tries, in order (the client's default). */
  transports: string[];
  connect(url: string, options: Record<string, unknown>): V09Socket;
}

/** socket.io-client 0.9.16, loaded as the CommonJS module it is. */
export const io09 = require('socket.io-client-v09') as V09Module;

export type V09Transport = 'websocket' | 'xhr-polling';
export const V09_NODE_TRANSPORTS: readonly V09Transport[] = ['websocket', 'xhr-polling'];

/** The server's `io`, `http`, `port` and `url`, as {@link SioHarness} has them, and its 0.9 clients. */
export interface LegacyHarness extends Pick<SioHarness, 'io' | 'http' | 'port' | 'url'> {
  /** A new 0.9 client (forced new connection, no reconnection) on one transport; disconnected after the test. */
  client(nsp: string, transport: V09Transport, options?: Record<string, unknown>): V09Socket;
  /** A client once connected (its namespace joined). */
  connect(nsp: string, transport: V09Transport, options?: Record<string, unknown>): Promise<V09Socket>;
  /** The same server's harness for socket.io-client 4.x clients. */
  sio: SioHarness;
}

/**
 * Registers the afterEach hooks that tear everything down (the servers through {@link useSio}); call once
 * per test file, at the top level.
 */
export function useLegacy(): { start(options?: ServerOptions, setup?: (http: HttpServer) => void): Promise<LegacyHarness> } {
  const sio = useSio();
  let managers: V09Manager[] = [];

  // Registered after useSio's hook, so it runs first: clients go before their servers.
  afterEach(() => {
    for (const manager of managers) {
      // The 0.9 client reconnects or throws on a dropped connection unless it was told to stop first.
      manager.options.reconnect = false;
      if (manager.connected) manager.disconnect();
    }
    managers = [];
  });

  /** `setup` runs on the fresh http server before the Server is attached (host routes go there). */
  const start = async (options: ServerOptions = {}, setup?: (http: HttpServer) => void): Promise<LegacyHarness> => {
    const harness = await sio.start(options, setup === undefined ? {} : { setup });
    const { url } = harness;
    const client = (nsp: string, transport: V09Transport, extra: Record<string, unknown> = {}): V09Socket => {
      // The client merges a `transports` option into this default index by index (and mutates it):
      // replace the default instead.
      io09.transports = [transport];
      const socket = io09.connect(url + (nsp === '/' ? '' : nsp), {
        'force new connection': true,
        reconnect: false,
        'connect timeout': 5000,
        ...(options.path !== undefined && { resource: options.path.replace(/^\/|\/$/g, '') }),
        ...extra,
      });
      managers.push(socket.socket);
      return socket;
    };
    return {
      ...harness,
      client,
      sio: harness,
      async connect(nsp, transport, extra) {
        const socket = client(nsp, transport, extra);
        await eventOf(socket, 'connect');
        return socket;
      },
    };
  };
  return { start };
}

/** {@link once} for a 0.9 emitter (it has `removeListener` but no `off`). */
export function eventOf<T extends unknown[] = unknown[]>(
  emitter: { once(event: string, listener: (...args: unknown[]) => void): unknown; removeListener(event: string, listener: (...args: unknown[]) => void): unknown },
  event: string,
  ms = 5000,
): Promise<T> {
  return once<T>({ once: (name, listener) => emitter.once(name, listener), off: (name, listener) => emitter.removeListener(name, listener) }, event, ms);
}

/** A raw 0.9 handshake: the new session's id. */
export async function handshake(url: string): Promise<string> {
  const res = await rawRequest(`${url}/socket.io/1/`);
  return res.body.toString().split(':')[0]!;
}

/** A held streaming GET: its headers, and everything the body has carried so far. */
export async function stream(url: string): Promise<{ res: IncomingMessage; body: () => string; end: () => void }> {
  let received = '';
  const res = await new Promise<IncomingMessage>((resolve, reject) => httpGet(url, { agent: false }, resolve).on('error', reject));
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (received += chunk));
  return { res, body: () => received, end: () => res.destroy() };
}
