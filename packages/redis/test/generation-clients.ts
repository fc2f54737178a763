// Every client generation behind one small interface, so a cross-node behaviour is written once and
// checked with socket.io-client 4.x, 2.5.0 (installed as `socket.io-client-v2`) and 0.9.16
// (`socket.io-client-v09`) on each of their transports. The old clients ship no types: the few members
// used here are declared below.
import { createRequire } from 'node:module';
import { io as connect4, type Socket as Socket4 } from 'socket.io-client';
import { type Listener, nextEvent } from './cluster-harness.js';

export type Generation = '4.x' | '2.x' | '0.9';
/** `upgrade` starts on polling and ends on websocket. */
export type TransportMode = 'websocket' | 'polling' | 'upgrade';

export interface ClientKind {
  generation: Generation;
  transport: TransportMode;
}

/** What a test does with a client of any generation. */
export interface AnyClient {
  /** `4.x websocket`, `0.9 polling`, … for assertion messages. */
  readonly name: string;
  readonly kind: ClientKind;
  /** Whether it is connected (it saw `connect` and no `disconnect` since). */
  readonly connected: boolean;
  /** The transport it uses now: `websocket` or `polling` (0.9's xhr-polling included). */
  readonly transport: string;
  emit(event: string, ...args: unknown[]): void;
  /** Emits with an acknowledgement; resolves with the first value the server acknowledged with. */
  ack(event: string, ...args: unknown[]): Promise<unknown>;
  on(event: string, listener: Listener): void;
  once(event: string, listener: Listener): void;
  close(): void;
}

interface Emitter {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
}

/** socket.io-client 2.x's Socket, as far as used here. */
interface Socket2 extends Emitter {
  io: { engine?: { transport: { name: string } } };
  close(): void;
}

/** socket.io-client 0.9's namespace socket and the connection under it. */
interface Socket09 extends Emitter {
  socket: {
    connected: boolean;
    transport: { name: string } | undefined;
    options: Record<string, unknown>;
    disconnect(): void;
  };
}

const require = createRequire(import.meta.url);
const connect2 = require('socket.io-client-v2') as (url: string, options: Record<string, unknown>) => Socket2;
const io09 = require('socket.io-client-v09') as { transports: string[]; connect(url: string, options: Record<string, unknown>): Socket09 };

/** Every generation on each of its transports in Node (0.9's Node build has websocket and xhr-polling). */
export const EVERY_KIND: readonly ClientKind[] = [
  { generation: '4.x', transport: 'websocket' },
  { generation: '4.x', transport: 'polling' },
  { generation: '4.x', transport: 'upgrade' },
  { generation: '2.x', transport: 'websocket' },
  { generation: '2.x', transport: 'polling' },
  { generation: '2.x', transport: 'upgrade' },
  { generation: '0.9', transport: 'websocket' },
  { generation: '0.9', transport: 'polling' },
];

/** Reconnection on, quickly, in each generation's own options. */
export const RECONNECTING: Record<Generation, Record<string, unknown>> = {
  '4.x': { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 200 },
  '2.x': { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 200 },
  '0.9': { reconnect: true, 'reconnection delay': 100 },
};

const ACK_MS = 10_000;
const CONNECT_MS = 10_000;

/** A client of `kind` on `url` (a namespace in its path), once connected (and upgraded, for `upgrade`). */
export async function connectAny(url: string, kind: ClientKind, options: Record<string, unknown> = {}): Promise<AnyClient> {
  const client = open(url, kind, options);
  try {
    await connected(client);
    return client;
  } catch (err) {
    client.close();
    throw err;
  }
}

/** The bytes of a Buffer as a client received it: a Buffer or ArrayBuffer, or for 0.9 its JSON form. */
export function bytesOf(value: unknown): number[] {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return [...Buffer.from(value as ArrayBuffer)];
  const json = value as { type?: string; data?: number[] };
  if (json.type === 'Buffer' && Array.isArray(json.data)) return json.data;
  throw new TypeError(`not bytes: ${JSON.stringify(value)}`);
}

export function nameOf(kind: ClientKind): string {
  return `${kind.generation} ${kind.transport}`;
}

function open(url: string, kind: ClientKind, options: Record<string, unknown>): AnyClient {
  if (kind.generation === '0.9') return open09(url, kind, options);
  const transports = kind.transport === 'upgrade' ? ['polling', 'websocket'] : [kind.transport];
  const base = { forceNew: true, reconnection: false, transports, ...options };
  if (kind.generation === '4.x') {
    const socket: Socket4 = connect4(url, base);
    return wrap(kind, socket, () => socket.io.engine?.transport.name ?? 'none', () => socket.disconnect());
  }
  const socket = connect2(url, base);
  return wrap(kind, socket, () => socket.io.engine?.transport.name ?? 'none', () => socket.close());
}

function open09(url: string, kind: ClientKind, options: Record<string, unknown>): AnyClient {
  // The client merges a `transports` option into its default list index by index: replace the default.
  io09.transports = [kind.transport === 'polling' ? 'xhr-polling' : 'websocket'];
  const socket = io09.connect(url, { 'force new connection': true, reconnect: false, 'connect timeout': CONNECT_MS, ...options });
  const manager = socket.socket;
  return wrap(
    kind,
    socket,
    () => (manager.transport?.name === 'xhr-polling' ? 'polling' : (manager.transport?.name ?? 'none')),
    () => {
      // It reconnects, or throws on a dropped connection, unless told to stop first.
      manager.options.reconnect = false;
      if (manager.connected) manager.disconnect();
    },
  );
}

function wrap(kind: ClientKind, socket: Emitter, transport: () => string, close: () => void): AnyClient {
  let isConnected = false;
  socket.on('connect', () => (isConnected = true));
  socket.on('disconnect', () => (isConnected = false));
  return {
    name: nameOf(kind),
    kind,
    get connected() {
      return isConnected;
    },
    get transport() {
      return transport();
    },
    emit: (event, ...args) => void socket.emit(event, ...args),
    ack(event, ...args) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${nameOf(kind)}: no ack for "${event}" within ${ACK_MS} ms`)), ACK_MS);
        socket.emit(event, ...args, (value: unknown) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
    on: (event, listener) => void socket.on(event, listener),
    once: (event, listener) => void socket.once(event, listener),
    close,
  };
}

/** Waits for `connect` (and the upgrade); a refusal or a timeout rejects. */
async function connected(client: AnyClient): Promise<void> {
  const failures = ['connect_error', 'error', 'connect_failed'].map(
    (event) => new Promise<never>((_, reject) => client.on(event, (err: unknown) => reject(new Error(`${client.name}: ${event} ${String((err as Error)?.message ?? err)}`)))),
  );
  await Promise.race([nextEvent(client, 'connect', CONNECT_MS), ...failures]);
  if (client.kind.transport !== 'upgrade') return;
  const deadline = Date.now() + CONNECT_MS;
  while (client.transport !== 'websocket') {
    if (Date.now() > deadline) throw new Error(`${client.name}: no upgrade within ${CONNECT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
