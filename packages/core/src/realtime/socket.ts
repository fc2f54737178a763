/* eslint-disable @typescript-eslint/no-explicit-any */
import createDebug from 'debug';
import type { IncomingMessage } from 'node:http';
import type { Connection } from '../engine/connection.js';
import { requestInfoOf } from '../engine/retained-request.js';
import { type SocketPacket, SocketPacketType } from '../protocol/socket-packet.js';
import { type AdapterSocket, type BroadcastFlags, NO_FLAGS, NO_ROOMS, type Room, type Rooms, type SocketDetails } from './adapter.js';
import { BroadcastOperator } from './broadcast-operator.js';
import type { SocketClient } from './socket-client.js';
import { assertEmittable, RealtimeError, RealtimeErrorCode } from './errors.js';
import { buildHandshake, type Handshake } from './handshake.js';
import type { Namespace } from './namespace.js';
import { OutgoingPacket } from './outgoing-packet.js';
import { type DisconnectReason, SocketBase } from './socket-base.js';
import {
  type AckResult,
  type DecorateAcknowledgementsWithTimeout,
  type DefaultEventsMap,
  type EventNames,
  type EventParams,
  type EventParamsWithoutAck,
  type EventsMap,
} from './typed-events.js';

export type { DisconnectReason, SocketReservedEvents } from './socket-base.js';

const log = createDebug('switchyard:realtime');

/** Reasons after which a client may come back and recover its state. */
const RECOVERABLE: ReadonlySet<DisconnectReason> = new Set([
  'transport error',
  'transport close',
  'forced close',
  'ping timeout',
  'server shutting down',
  'forced server close',
]);

/** Marks a socket whose `data` nobody has read or set yet: most never need their own object. */
const NO_DATA: unknown = Object.freeze({});

/**
 * One client's presence in one namespace, with the socket.io API: emit with acknowledgements, rooms,
 * broadcasts that leave this socket out, and disconnect. What arrives (packets, packet middleware,
 * acknowledgements, catch-all listeners) is handled by `SocketBase`, in socket-base.ts.
 */
export class Socket<
    TListen extends EventsMap = DefaultEventsMap,
    TEmit extends EventsMap = DefaultEventsMap,
    TServerSide extends EventsMap = DefaultEventsMap,
    TData = any,
  >
  extends SocketBase<TListen>
  implements AdapterSocket
{
  /** The namespace with its whole public API; the socket's own code calls only what SocketNamespace lists. */
  declare readonly nsp: Namespace<TListen, TEmit, TServerSide, TData>;
  #handshake: Handshake | undefined;
  readonly #auth: Record<string, unknown>;
  /** When the socket was made, in milliseconds after its connection opened (a small integer, unboxed). */
  readonly #issuedAfterOpen: number;
  /** What {@link data} holds: the application's value, or NO_DATA until it is first read or set. */
  #data: TData = NO_DATA as TData;
  /** Set once the socket left (or was refused): it joins no room any more. */
  #cleanedUp = false;
  /** Whether this socket was restored by connection state recovery. */
  recovered = false;
  /** @internal The private id a client presents to recover this socket (recovery enabled only). */
  pid: string | undefined;

  #flags: BroadcastFlags = NO_FLAGS;
  /** Whether the namespace accepted this socket (it may have left since). */
  #accepted = false;

  constructor(nsp: Namespace<TListen, TEmit, TServerSide, TData>, client: SocketClient, auth: Record<string, unknown>, id: string) {
    super(nsp, client, id);
    this.#auth = auth;
    this.#issuedAfterOpen = Date.now() - client.conn.openedAt;
  }

  /** What the client's handshake looked like (built on first use: most sockets never ask). */
  get handshake(): Handshake {
    return (this.#handshake ??= buildHandshake(requestInfoOf(this.client.conn), this.#auth, this.client.address, this.client.conn.openedAt + this.#issuedAfterOpen));
  }

  /** Free for the application: carried to other nodes by `fetchSockets` (an own `{}`, made on first use). */
  get data(): TData {
    if (this.#data === NO_DATA) this.#data = {} as TData;
    return this.#data;
  }

  set data(value: TData) {
    this.#data = value;
  }

  /** The session under this socket: Engine.IO's, or the 0.9 protocol's (`conn.protocol` tells which). */
  get conn(): Connection {
    return this.client.conn;
  }

  /** The HTTP request that opened the connection. */
  get request(): IncomingMessage {
    return this.client.conn.request;
  }

  get disconnected(): boolean {
    return !this.connected;
  }

  get rooms(): Set<Room> {
    return new Set(this.nsp.adapter.socketRooms(this.id));
  }

  /** Sends an event; a function as the last argument gets the client's ack (with `timeout(ms)`: an error first if late). */
  override emit<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParams<TEmit, TEv>): boolean {
    assertEmittable(ev as string);
    const data: unknown[] = [ev, ...args];
    const flags = this.#takeFlags();
    const packet: SocketPacket = { type: SocketPacketType.EVENT, nsp: this.nsp.name, data };
    const last = data[data.length - 1];
    if (typeof last === 'function') {
      data.pop();
      packet.id = this.registerAck(last as (...a: unknown[]) => void, flags.timeout);
    }
    if (this.pid !== undefined && this.#accepted) {
      // Through the adapter, as socket.io does with recovery on: it is kept for the client should it
      // come back, even when it is already gone.
      this.nsp.adapter.broadcast(packet, { rooms: new Set([this.id]), except: NO_ROOMS, flags });
      return true;
    }
    this.notifyOutgoing(data);
    this.client.writePacket(new OutgoingPacket(packet), flags);
    return true;
  }

  /** Emits and resolves with the client's acknowledgement. */
  emitWithAck<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParamsWithoutAck<TEmit, TEv>): Promise<AckResult<TEmit, TEv>> {
    const timeout = this.#flags.timeout;
    return new Promise((resolve, reject) => {
      const callback =
        timeout === undefined
          ? (arg: unknown) => resolve(arg as AckResult<TEmit, TEv>)
          : (err: Error | null, arg: unknown) => (err ? reject(err) : resolve(arg as AckResult<TEmit, TEv>));
      (this.emit as (ev: string, ...rest: unknown[]) => boolean)(ev as string, ...args, callback);
    });
  }

  /** Sends a `message` event. */
  send(...args: unknown[]): this {
    (this.emit as (ev: string, ...rest: unknown[]) => boolean)('message', ...args);
    return this;
  }

  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /** The next emit waits at most `ms` for its acknowledgement. */
  timeout(ms: number): Socket<TListen, DecorateAcknowledgementsWithTimeout<TEmit>, TServerSide, TData> {
    this.#setFlag('timeout', ms);
    return this as any;
  }

  /** The next emit may be dropped if the transport cannot take it now. */
  get volatile(): this {
    this.#setFlag('volatile', true);
    return this;
  }

  compress(compress: boolean): this {
    this.#setFlag('compress', compress);
    return this;
  }

  /** Every socket of the namespace but this one. */
  get broadcast(): BroadcastOperator<TEmit, TData> {
    return this.#operator();
  }

  /** The sockets of this process only (for broadcasts from this socket). */
  get local(): BroadcastOperator<TEmit, TData> {
    return this.#operator().local;
  }

  /** The sockets in these rooms, this one left out. */
  to(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.#operator().to(rooms);
  }

  in(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.to(rooms);
  }

  except(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.#operator().except(rooms);
  }

  /** Joins rooms; once the socket has disconnected (or was refused), does nothing. */
  join(rooms: Rooms): void {
    if (this.#cleanedUp) return;
    const list = typeof rooms === 'string' ? [rooms] : rooms;
    const max = this.nsp.host.limits.maxRoomsPerSocket;
    const joined = this.nsp.adapter.socketRooms(this.id);
    let size = joined?.size ?? 0;
    if (size + (list as readonly Room[]).length > max) {
      for (const room of list) if (joined?.has(room) !== true) size++;
      if (size > max) {
        throw new RealtimeError(RealtimeErrorCode.TOO_MANY_ROOMS, `socket ${this.id} would be in ${size} rooms, over maxRoomsPerSocket (${max})`);
      }
    }
    this.nsp.adapter.addAll(this.id, list);
  }

  leave(room: Room): void {
    this.nsp.adapter.del(this.id, room);
  }

  /** Leaves every room, its own included. */
  leaveAll(): void {
    this.nsp.adapter.delAll(this.id);
  }

  /** Leaves this namespace; with `close`, ends the whole connection. */
  override disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      this.client.disconnect();
    } else {
      this.client.writePacket(new OutgoingPacket({ type: SocketPacketType.DISCONNECT, nsp: this.nsp.name }), {});
      this._onClose('server namespace disconnect');
    }
    return this;
  }

  // ---- the adapter's view (AdapterSocket; delivery is in SocketBase) ----

  /** @internal */
  details(): SocketDetails {
    return { id: this.id, handshake: this.handshake, rooms: [...this.rooms], data: this.data };
  }

  /** @internal socket.io's name for {@link _onClose}. */
  _onclose(reason: DisconnectReason, description?: unknown): void {
    this._onClose(reason, description);
  }

  // ---- called by the client and the namespace ----

  /** @internal The namespace accepted the socket. */
  _onConnect(): void {
    this.connected = true;
    this.#accepted = true;
    this.join(this.id);
  }

  /** @internal The socket leaves its rooms for good: it disconnected, or its middleware refused it. */
  _cleanup(): void {
    this.leaveAll();
    this.#cleanedUp = true;
  }

  /** @internal The socket leaves its namespace, for `reason`. */
  override _onClose(reason: DisconnectReason, description?: unknown): void {
    if (!this.connected) return;
    if (log.enabled) log('disconnect socket=%s nsp=%s reason=%s', this.id, this.nsp.name, reason);
    this.emitSafely('disconnecting', reason, description);
    if (this.pid !== undefined && RECOVERABLE.has(reason)) {
      void this.nsp.adapter.persistSession({ sid: this.id, pid: this.pid, rooms: [...this.rooms], data: this.data });
    }
    this._cleanup();
    this.nsp._remove(this);
    this.client._remove(this);
    this.connected = false;
    this.failAcks(disconnectedError);
    this.emitSafely('disconnect', reason, description);
  }

  #operator(): BroadcastOperator<TEmit, TData> {
    const flags = this.#takeFlags();
    return new BroadcastOperator<TEmit, TData>(this.nsp.adapter, NO_ROOMS, new Set([this.id]), flags);
  }

  #takeFlags(): BroadcastFlags {
    const flags = this.#flags;
    this.#flags = NO_FLAGS;
    return flags;
  }

  #setFlag<K extends keyof BroadcastFlags>(key: K, value: BroadcastFlags[K]): void {
    if (this.#flags === NO_FLAGS) this.#flags = {};
    this.#flags[key] = value;
  }
}

function disconnectedError(): RealtimeError {
  return new RealtimeError(RealtimeErrorCode.DISCONNECTED, 'socket has been disconnected');
}
