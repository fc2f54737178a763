/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The seam for adapters built on npm `socket.io-adapter` (its in-memory `Adapter`, `SessionAwareAdapter`,
 * `ClusterAdapter`, `ClusterAdapterWithHeartbeat` and what extends them). They speak the shape of ours
 * (rooms, broadcast, fetchSockets, persistSession/restoreSession…) but reach into socket.io's objects to
 * deliver: `nsp.server.encoder`, `nsp.sockets`, `nsp._ids`, `socket.client.writeToEngine`,
 * `socket.acks`. Namespaces, sockets and clients offer exactly that much; where the two shapes differ in
 * a call, the caller asks {@link isForeignAdapter} and drives such an adapter the socket.io way.
 */
import { encodeSocketPacket, type SocketPacket } from '../protocol/socket-packet.js';
import { Adapter, type AdapterConstructor, type RecoveryOptions } from './adapter.js';
import type { CustomCodec, EncodedPacket } from './custom-parser.js';
import { OutgoingPacket, type SocketIoEncoding } from './outgoing-packet.js';
import type { SessionPersistence } from './session-recovery.js';

/** What `socket.client.writeToEngine(encoded, opts)` receives from such an adapter. */
export interface PreEncodedOptions {
  preEncoded?: boolean;
  volatile?: boolean;
  compress?: boolean;
  /** A websocket frame the adapter built with ws; ignored, our transports frame once per broadcast. */
  wsPreEncodedFrame?: unknown;
}

/**
 * The encoder socket.io hands its adapters: socket.io-parser's `encode(packet)`, in our codec, or the
 * `parser` option's Encoder.
 */
export interface SocketIoEncoder {
  encode(packet: SocketPacket): EncodedPacket;
}

/** What an adapter built on socket.io-adapter reads of socket.io's `Server` through `nsp.server`. */
export interface AdapterServerView {
  readonly encoder: SocketIoEncoder;
  readonly opts: { readonly connectionStateRecovery: RecoveryOptions | undefined };
}

/**
 * The methods of socket.io-adapter's `Adapter` that namespaces, sockets and operators call. Its
 * `persistSession`/`restoreSession` are where ours keep sessions too ({@link SessionPersistence}).
 */
export interface ForeignAdapter extends SessionPersistence {
  init(): Promise<void> | void;
  close(): Promise<void> | void;
  addAll(id: string, rooms: Set<string>): void;
  del(id: string, room: string): void;
  delAll(id: string): void;
  broadcast(packet: any, opts: any): void;
  broadcastWithAck(packet: any, opts: any, clientCountCallback: (clientCount: number) => void, ack: (...args: any[]) => void): void;
  serverSideEmit(packet: any[]): void;
}

/**
 * An adapter class of ours, or one built on socket.io-adapter: its class, or the factory function that
 * socket.io's adapter packages return (`createAdapter(pub, sub)` from `@socket.io/redis-adapter`), which
 * socket.io's own `AdapterConstructor` type also accepts. Both are called with `new`, as socket.io does.
 */
export type AnyAdapterConstructor = AdapterConstructor | (new (nsp: any) => ForeignAdapter) | ((nsp: any) => ForeignAdapter);

export const socketIoEncoder: SocketIoEncoder = { encode: encodeSocketPacket };

/** Whether `adapter` is not one of ours (so it was built on socket.io-adapter). */
export function isForeignAdapter(adapter: Adapter): boolean {
  return !(adapter instanceof Adapter);
}

const received = new WeakMap<EncodedPacket, OutgoingPacket>();

/**
 * The packet such an adapter encoded once for a whole broadcast (with `codec`, the custom parser, when the
 * server has one), as one shared {@link OutgoingPacket}: every recipient gets the same framing, and 0.9
 * clients the same translation, made once.
 */
export function preEncodedPacket(encoded: EncodedPacket, codec: CustomCodec | undefined): OutgoingPacket {
  let outgoing = received.get(encoded);
  if (outgoing === undefined) {
    outgoing = codec === undefined ? new OutgoingPacket(encoded as SocketIoEncoding, true) : OutgoingPacket.fromCustom(encoded, codec, true);
    received.set(encoded, outgoing);
  }
  return outgoing;
}

/** socket.io's `serverSideEmitWithAck`: the callback goes last, and gets `(err, responses)`. */
export function foreignServerSideEmitWithAck(adapter: Adapter, data: unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const callback = (err: Error | null, responses: unknown[]): void => (err ? reject(err) : resolve(responses));
    (adapter as unknown as ForeignAdapter).serverSideEmit([...data, callback]);
  });
}
