// Every client generation behind one small interface, so a cross-node behaviour is written once and
// checked with socket.io-client 4.x, 2.5.0 (installed as `socket.io-client-v2`) and 0.9.16
// (`socket.io-client-v09`) on each of their transports. The clients are @switchyard/testing's one wrapper
// per generation; this adds the transport modes the cluster tests name (`upgrade` included) and the names
// their messages use.
import { type ClientGeneration, type GenerationClient, socketIoClientV09, socketIoClientV2, socketIoClientV4, until } from '@switchyard/testing';
import type { Listener } from './cluster-harness.js';
import type { ClientGenerationName } from '@switchyard/core';

export type Generation = ClientGenerationName;
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

const GENERATIONS: Record<Generation, ClientGeneration> = { '4.x': socketIoClientV4, '2.x': socketIoClientV2, '0.9': socketIoClientV09 };

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

/** Each generation on polling. */
export const POLLING_KINDS = EVERY_KIND.filter((kind) => kind.transport === 'polling');

/**
 * Each generation on a websocket opened after an HTTP handshake (which a balancer can send elsewhere):
 * 4.x and 2.x upgrade, 0.9 always handshakes over HTTP first.
 */
export const WEBSOCKET_AFTER_HANDSHAKE = EVERY_KIND.filter((kind) => (kind.generation === '0.9' ? kind.transport === 'websocket' : kind.transport === 'upgrade'));

/** Reconnection on, quickly (100 ms, then at most 200 ms apart; 0.9: from 100 ms, doubling), whatever the generation. */
export const RECONNECTING = { reconnect: true } as const;

/** Connecting and each acknowledgement may take this long: a cross-node answer can wait on another process. */
const PATIENCE_MS = 10_000;

/** A client of `kind` on `url` (a namespace in its path), once connected (and upgraded, for `upgrade`). */
export async function connectAny(url: string, kind: ClientKind, options: { reconnect?: boolean } = {}): Promise<AnyClient> {
  const client = await GENERATIONS[kind.generation].connect({
    url,
    path: '/socket.io',
    transports: kind.transport === 'upgrade' ? ['polling', 'websocket'] : [kind.transport],
    patience: PATIENCE_MS,
    ...options,
  });
  try {
    if (kind.transport === 'upgrade') await until(() => client.transport() === 'websocket', `${nameOf(kind)}: the upgrade`, PATIENCE_MS);
  } catch (err) {
    client.close();
    throw err;
  }
  return anyClient(kind, client);
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

function anyClient(kind: ClientKind, client: GenerationClient): AnyClient {
  return {
    name: nameOf(kind),
    kind,
    get connected() {
      return client.connected;
    },
    get transport() {
      return client.transport();
    },
    emit: (event, ...args) => client.emit(event, ...args),
    ack: (event, ...args) => client.ask(event, ...args),
    on: (event, listener) => client.on(event, listener),
    once: (event, listener) => client.once(event, listener),
    close: () => client.close(),
  };
}
