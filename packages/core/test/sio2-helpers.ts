// socket.io-client@2.5.0 (Engine.IO v3, Socket.IO v4), installed as `socket.io-client-v2`, for the tests
// that drive Switchyard with the 2.x generation. It ships no types: the few members the tests use are
// declared here. Every client made here is closed after the test.
import { createRequire } from 'node:module';
import { afterEach } from 'vitest';
import { ALL_TRANSPORTS, type ConnectingSocket, finalOf, type TransportCase, untilConnected } from './sio-helpers.js';

/** Any listener: the client passes whatever the server sent. */
type Listener = (...args: never[]) => void;

/** engine.io-client 3.x's socket, as far as the tests look at it. */
export interface V2Engine {
  id: string;
  transport: { name: string };
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  /** Sends a ping and arms the client's own pong timer; replaced to make a client fall silent. */
  ping(): void;
  onHeartbeat(timeout?: number): void;
  /** The client's own timer that closes the connection when the server stays silent. */
  pingTimeoutTimer: NodeJS.Timeout | undefined;
}

/** socket.io-client 2.x's Socket, as far as the tests use it. */
export interface V2Socket {
  id: string;
  nsp: string;
  connected: boolean;
  io: { engine: V2Engine };
  emit(event: string, ...args: unknown[]): V2Socket;
  on(event: string, listener: Listener): V2Socket;
  once(event: string, listener: Listener): V2Socket;
  off(event: string, listener: Listener): V2Socket;
  disconnect(): V2Socket;
  close(): V2Socket;
}

export interface V2Options {
  transports?: string[];
  path?: string;
  query?: Record<string, string>;
  forceBase64?: boolean;
  upgrade?: boolean;
}

const require = createRequire(import.meta.url);
const connectV2 = require('socket.io-client-v2') as (url: string, options: Record<string, unknown>) => V2Socket;

export interface V2TransportCase {
  name: string;
  options: V2Options;
  final: TransportCase['final'];
}

/** Every transport a 2.x client has in Node: websocket, polling, and polling upgraded to websocket. */
export const V2_TRANSPORTS: readonly V2TransportCase[] = ALL_TRANSPORTS.map(({ name, options, final }) => ({
  name,
  options: { transports: (options.transports ?? []).map(String) },
  final,
}));

/** Registers the afterEach that closes every 2.x client; call once per test file, at the top level. */
export function useV2Clients(): {
  client(url: string, options?: V2Options): V2Socket;
  connect(url: string, options?: V2Options): Promise<V2Socket>;
} {
  let clients: V2Socket[] = [];
  afterEach(() => {
    for (const socket of clients) socket.close();
    clients = [];
  });
  const client = (url: string, options: V2Options = {}): V2Socket => {
    const socket = connectV2(url, { forceNew: true, reconnection: false, ...options });
    clients.push(socket);
    return socket;
  };
  return {
    client,
    async connect(url, options = {}) {
      return connectedV2(client(url, options), finalOf(options));
    },
  };
}

/** Waits until a 2.x client is connected (a refused namespace comes as `error`) and, when it should end on websocket, upgraded. */
export async function connectedV2(socket: V2Socket, final: V2TransportCase['final'] = 'websocket'): Promise<V2Socket> {
  await untilConnected(socket as unknown as ConnectingSocket, final, ['connect_error', 'error']);
  return socket;
}

/** Emits and resolves with the arguments of the server's acknowledgement. */
export function emitWithAckV2(socket: V2Socket, event: string, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for "${event}" within 5000 ms`)), 5000);
    socket.emit(event, ...args, (...answer: unknown[]) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}
