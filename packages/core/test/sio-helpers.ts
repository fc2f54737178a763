// Shared plumbing for the socket.io integration tests (`socketio-*.test.ts`): a real http server on
// 127.0.0.1 with a Switchyard `Server`, socket.io-client@4 clients, and everything torn down after each
// test (clients disconnected, `io.close()`, http server closed) so that a run leaves no open handle.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, Manager, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from 'socket.io-client';
import { afterEach, expect } from 'vitest';
import { Server, type ServerOptions, type Socket } from '../src/index.js';
// until, within and sleep are the test kit's (@switchyard/testing), from its source: that package depends on
// core, so core cannot depend on it.
export { sleep, until, within } from '../../testing/src/wait.js';

export type ClientOptions = Partial<ManagerOptions & SocketOptions>;
export type { ClientSocket };

export interface TransportCase {
  name: string;
  options: ClientOptions;
  /** The transport the client ends up on. */
  final: 'websocket' | 'polling';
}

/** The two transports every important case runs over. */
export const TRANSPORTS: readonly TransportCase[] = [
  { name: 'websocket', options: { transports: ['websocket'] }, final: 'websocket' },
  { name: 'polling', options: { transports: ['polling'] }, final: 'polling' },
];

/** Both transports, and polling upgraded to websocket. */
export const ALL_TRANSPORTS: readonly TransportCase[] = [
  ...TRANSPORTS,
  { name: 'polling→websocket', options: { transports: ['polling', 'websocket'] }, final: 'websocket' },
];

export interface StartOptions {
  /** `constructor` (default): `new Server(http, opts)`; `attach`: `new Server(opts).attach(http)`. */
  how?: 'constructor' | 'attach';
  /** Runs on the fresh http server before the Server is attached (host listeners go here). */
  setup?: (http: HttpServer) => void;
}

export interface SioHarness {
  io: Server;
  http: HttpServer;
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** A new client (forceNew, no reconnection), disconnected after the test. Not awaited. */
  client(nsp?: string, options?: ClientOptions): ClientSocket;
  /** A new client, once connected (and upgraded when `final` says websocket). */
  connect(nsp?: string, options?: ClientOptions, final?: TransportCase['final']): Promise<ClientSocket>;
  /** A connected client and the server-side socket it got. */
  pair(nsp?: string, options?: ClientOptions, final?: TransportCase['final']): Promise<[ClientSocket, Socket]>;
  /** A Manager (one connection, several namespaces); its sockets are disconnected after the test. */
  manager(options?: ClientOptions): { manager: Manager; socket(nsp: string): ClientSocket };
}

/** Registers the afterEach that tears everything down; call once per test file, at the top level. */
export function useSio(): { start(options?: ServerOptions, start?: StartOptions): Promise<SioHarness> } {
  let clients: ClientSocket[] = [];
  let servers: Array<{ io: Server; http: HttpServer }> = [];

  afterEach(async () => {
    const openClients = clients;
    const openServers = servers;
    clients = [];
    servers = [];
    for (const socket of openClients) socket.disconnect();
    for (const { io, http } of openServers) {
      await io.close();
      expect(io.engine.sessionCount).toBe(0);
      http.closeAllConnections();
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  const start = async (options: ServerOptions = {}, how: StartOptions = {}): Promise<SioHarness> => {
    const http = createServer();
    how.setup?.(http);
    const io = how.how === 'attach' ? new Server(options).attach(http) : new Server(http, options);
    servers.push({ io, http });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const clientOptions = (extra: ClientOptions): ClientOptions => ({
      forceNew: true,
      reconnection: false,
      ...(options.path !== undefined && { path: options.path }),
      ...extra,
    });
    const client = (nsp = '/', extra: ClientOptions = {}): ClientSocket => {
      const socket = connect(url + nsp, clientOptions(extra));
      clients.push(socket);
      return socket;
    };
    const connectClient = async (nsp = '/', extra: ClientOptions = {}, final?: TransportCase['final']) =>
      connected(client(nsp, extra), final ?? finalOf(extra));
    return {
      io,
      http,
      port,
      url,
      client,
      connect: connectClient,
      async pair(nsp = '/', extra: ClientOptions = {}, final?: TransportCase['final']) {
        const socket = await connectClient(nsp, extra, final);
        return [socket, serverSocketOf(io, socket)];
      },
      manager(extra: ClientOptions = {}) {
        const manager = new Manager(url, clientOptions(extra));
        return {
          manager,
          socket(nsp: string) {
            const socket = manager.socket(nsp);
            clients.push(socket);
            return socket;
          },
        };
      },
    };
  };

  return { start };
}

/** Where a client with these options ends up: websocket if it may use it (and upgrade), else polling. */
export function finalOf(options: { transports?: readonly unknown[] | undefined; upgrade?: boolean | undefined }): TransportCase['final'] {
  const transports = options.transports ?? ['polling', 'websocket'];
  return transports.includes('websocket') && options.upgrade !== false ? 'websocket' : 'polling';
}

/** The server-side socket of a connected client. */
export function serverSocketOf(io: Server, client: ClientSocket): Socket {
  const id = client.id;
  if (id === undefined) throw new Error('the client is not connected');
  const socket = io.of(clientNsp(client)).sockets.get(id);
  if (socket === undefined) throw new Error(`no server socket ${id} in ${clientNsp(client)}`);
  return socket as Socket;
}

/**
 * Two sockets of one connection (one Manager): on `/` and on `/x`, once both are connected, with the
 * server-side socket of each.
 */
export async function mainAndX(h: SioHarness, options: ClientOptions): Promise<{ main: ClientSocket; x: ClientSocket; sMain: Socket; sx: Socket }> {
  h.io.of('/x');
  const { socket: open } = h.manager(options);
  const main = open('/');
  const x = open('/x');
  await Promise.all([once(main, 'connect'), once(x, 'connect')]);
  return { main, x, sMain: serverSocketOf(h.io, main), sx: serverSocketOf(h.io, x) };
}

/** The namespace a client socket was opened for. */
export function clientNsp(client: ClientSocket): string {
  return (client as unknown as { nsp: string }).nsp;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyListener = (...args: any[]) => void;

/** Node's EventEmitter and socket.io-client's emitters alike. */
interface Listenable {
  once(event: string, listener: AnyListener): unknown;
  off(event: string, listener: AnyListener): unknown;
}

/** Resolves with the arguments of the next `event`; rejects after `ms`. */
export function once<T extends unknown[] = unknown[]>(emitter: Listenable, event: string, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    emitter.once(event, listener);
  });
}

/** Waits until a client is connected and, when it should end on websocket, upgraded. */
export async function connected(socket: ClientSocket, final: TransportCase['final'] = 'websocket'): Promise<ClientSocket> {
  await untilConnected(socket as unknown as ConnectingSocket, final, ['connect_error']);
  return socket;
}

/** A socket.io client socket of any generation, as far as waiting for its connection goes. */
export interface ConnectingSocket extends Listenable {
  connected: boolean;
  on(event: string, listener: AnyListener): unknown;
  io: { engine: Listenable & { transport: { name: string } } };
}

/** Waits for `connect` (rejecting on any of `errorEvents`), then for the upgrade when `final` is websocket. */
export async function untilConnected(socket: ConnectingSocket, final: TransportCase['final'], errorEvents: readonly string[]): Promise<void> {
  if (!socket.connected) {
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        socket.off('connect', onConnect);
        for (const event of errorEvents) socket.off(event, onError);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onConnect = (): void => done();
      const onError = (err: unknown): void => done(new Error(`connect failed: ${err instanceof Error ? err.message : JSON.stringify(err)}`));
      const timer = setTimeout(() => done(new Error('no "connect" within 5000 ms')), 5000);
      socket.on('connect', onConnect);
      for (const event of errorEvents) socket.on(event, onError);
    });
  }
  const engine = socket.io.engine;
  if (final === 'websocket' && engine.transport.name !== 'websocket') await once(engine, 'upgrade');
}

/** Records every `event` an emitter sees, as arrays of arguments. */
export function record(emitter: { on(event: string, listener: AnyListener): unknown }, event: string): unknown[][] {
  const seen: unknown[][] = [];
  emitter.on(event, (...args: unknown[]) => seen.push(args));
  return seen;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A plain HTTP request (no keep-alive), for what a browser would send that the client library hides. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: { connection: 'close', ...options.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Resolves once every client got `end`: anything sent to them before it has arrived by then. */
export async function drained(sockets: ClientSocket[], send: () => void): Promise<void> {
  const ends = Promise.all(sockets.map((socket) => once(socket, 'end')));
  send();
  await ends;
}
