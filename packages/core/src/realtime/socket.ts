/* eslint-disable @typescript-eslint/no-explicit-any */
import createDebug from 'debug';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Connection } from '../engine/connection.js';
import { type SocketPacket, SocketPacketType } from '../protocol/socket-packet.js';
import { type AdapterSocket, type BroadcastFlags, NO_FLAGS, NO_ROOMS, type Room, type Rooms, type SocketDetails } from './adapter.js';
import { BroadcastOperator } from './broadcast-operator.js';
import type { SocketClient } from './socket-client.js';
import { AckRegistry } from './ack-registry.js';
import { type AnyListener, AnyListeners } from './any-listeners.js';
import { assertEmittable, RealtimeError, RealtimeErrorCode } from './errors.js';
import { buildHandshake, type Handshake } from './handshake.js';
import type { Namespace } from './namespace.js';
import { OutgoingPacket } from './outgoing-packet.js';
import { reportListenerError } from './report-listener-error.js';
import {
  type AckResult,
  type DecorateAcknowledgementsWithTimeout,
  type DefaultEventsMap,
  type EventNames,
  type EventParams,
  type EventParamsWithoutAck,
  type EventsMap,
  TypedEmitter,
} from './typed-events.js';

const log = createDebug('switchyard:realtime');

export type DisconnectReason =
  | 'transport error'
  | 'transport close'
  | 'forced close'
  | 'ping timeout'
  | 'parse error'
  | 'server shutting down'
  | 'forced server close'
  | 'client namespace disconnect'
  | 'server namespace disconnect';

export interface SocketReservedEvents {
  disconnect: (reason: DisconnectReason, description?: unknown) => void;
  disconnecting: (reason: DisconnectReason, description?: unknown) => void;
  error: (err: Error) => void;
}


/** Reasons after which a client may come back and recover its state. */
const RECOVERABLE: ReadonlySet<DisconnectReason> = new Set([
  'transport error',
  'transport close',
  'forced close',
  'ping timeout',
  'server shutting down',
  'forced server close',
]);

type PacketMiddleware = (event: [string, ...unknown[]], next: (err?: Error) => void) => void;

/**
 * One client's presence in one namespace, with the socket.io API: emit with acknowledgements, rooms,
 * broadcasts that leave this socket out, catch-all listeners and packet middleware.
 */
export class Socket<
    TListen extends EventsMap = DefaultEventsMap,
    TEmit extends EventsMap = DefaultEventsMap,
    TServerSide extends EventsMap = DefaultEventsMap,
    TData = any,
  >
  extends TypedEmitter<TListen, SocketReservedEvents>
  implements AdapterSocket
{
  readonly id: string;
  readonly nsp: Namespace<TListen, TEmit, TServerSide, TData>;
  readonly client: SocketClient;
  #handshake: Handshake | undefined;
  readonly #auth: Record<string, unknown>;
  readonly #issued = Date.now();
  /** Free for the application: carried to other nodes by `fetchSockets`. */
  data: TData = {} as TData;
  connected = false;
  /** Set once the socket left (or was refused): it joins no room any more. */
  #cleanedUp = false;
  /** Whether this socket was restored by connection state recovery. */
  recovered = false;
  /** @internal The private id a client presents to recover this socket (recovery enabled only). */
  pid: string | undefined;

  #flags: BroadcastFlags = NO_FLAGS;
  /** Whether the namespace accepted this socket (it may have left since). */
  #accepted = false;
  #acks: AckRegistry | undefined;
  #anyListeners: AnyListeners | undefined;
  #anyOutgoingListeners: AnyListeners | undefined;
  #middlewares: PacketMiddleware[] | undefined;

  constructor(nsp: Namespace<TListen, TEmit, TServerSide, TData>, client: SocketClient, auth: Record<string, unknown>, id: string) {
    super({ captureRejections: true });
    this.nsp = nsp;
    this.client = client;
    this.#auth = auth;
    this.id = id;
  }

  /** What the client's handshake looked like (built on first use: most sockets never ask). */
  get handshake(): Handshake {
    return (this.#handshake ??= buildHandshake(this.client.conn.request as IncomingMessage | undefined, this.#auth, this.client.address, this.#issued));
  }

  /** The session under this socket: Engine.IO's, or the 0.9 protocol's (`conn.protocol` tells which). */
  get conn(): Connection {
    // Both session classes are EventEmitters whose events extend ConnectionEvents; TypeScript cannot
    // follow node's generic emitter types that far.
    return this.client.conn as unknown as Connection;
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

  /**
   * Sends an event to this client. A function as the last argument receives the client's
   * acknowledgement (with `timeout(ms)`: an error first when none came in time).
   */
  override emit<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParams<TEmit, TEv>): boolean {
    assertEmittable(ev as string);
    const data: unknown[] = [ev, ...args];
    const flags = this.#takeFlags();
    const packet: SocketPacket = { type: SocketPacketType.EVENT, nsp: this.nsp.name, data };
    const last = data[data.length - 1];
    if (typeof last === 'function') {
      data.pop();
      packet.id = this.#registerAck(last as (...a: unknown[]) => void, flags.timeout);
    }
    if (this.pid !== undefined && this.#accepted) {
      // Through the adapter, as socket.io does with recovery on: it is kept for the client should it
      // come back, even when it is already gone.
      this.nsp.adapter.broadcast(packet, { rooms: new Set([this.id]), except: NO_ROOMS, flags });
      return true;
    }
    this.#notifyOutgoing(data);
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
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      this.client.disconnect();
    } else {
      this.client.writePacket(new OutgoingPacket({ type: SocketPacketType.DISCONNECT, nsp: this.nsp.name }), {});
      this._onClose('server namespace disconnect');
    }
    return this;
  }

  /** Adds a packet middleware: it sees `[event, ...args]` of every incoming event first. */
  use(fn: PacketMiddleware): this {
    (this.#middlewares ??= []).push(fn);
    return this;
  }

  onAny(listener: AnyListener): this {
    (this.#anyListeners ??= new AnyListeners()).add(listener);
    return this;
  }

  prependAny(listener: AnyListener): this {
    (this.#anyListeners ??= new AnyListeners()).prepend(listener);
    return this;
  }

  offAny(listener?: AnyListener): this {
    this.#anyListeners?.remove(listener);
    if (this.#anyListeners?.size === 0) this.#anyListeners = undefined;
    return this;
  }

  listenersAny(): AnyListener[] {
    return this.#anyListeners?.toArray() ?? [];
  }

  onAnyOutgoing(listener: AnyListener): this {
    (this.#anyOutgoingListeners ??= new AnyListeners()).add(listener);
    return this;
  }

  prependAnyOutgoing(listener: AnyListener): this {
    (this.#anyOutgoingListeners ??= new AnyListeners()).prepend(listener);
    return this;
  }

  offAnyOutgoing(listener?: AnyListener): this {
    this.#anyOutgoingListeners?.remove(listener);
    if (this.#anyOutgoingListeners?.size === 0) this.#anyOutgoingListeners = undefined;
    return this;
  }

  listenersAnyOutgoing(): AnyListener[] {
    return this.#anyOutgoingListeners?.toArray() ?? [];
  }

  // ---- the adapter's view (AdapterSocket) ----

  /** @internal */
  deliver(packet: OutgoingPacket, flags: BroadcastFlags): void {
    if (this.#anyOutgoingListeners !== undefined) this.#notifyOutgoing(packet.packet.data as unknown[]);
    this.client.writePacket(packet, flags);
  }

  /**
   * @internal A broadcast's acknowledgement counts in maxPendingAcks as a single emit's does: a socket that
   * already waits for that many is left out of the broadcast (false), which then does not wait for it.
   */
  deliverWithAck(packet: SocketPacket, flags: BroadcastFlags, onAck: (args: unknown[]) => void): boolean {
    if ((this.#acks?.size ?? 0) >= this.nsp.host.limits.maxPendingAcks) return false;
    if (this.#anyOutgoingListeners !== undefined) this.#notifyOutgoing(packet.data as unknown[]);
    const id = this.nsp.nextAckId();
    (this.#acks ??= new AckRegistry(this)).expectForBroadcast(id, onAck, flags.timeout);
    this.client.writePacket(new OutgoingPacket({ ...packet, id }), flags);
    return true;
  }

  /** @internal An acknowledgement this socket's client was asked for did not come in time (told to the host, which tells its listeners). */
  _ackTimedOut(broadcast: boolean): void {
    this.nsp.host.onAckTimeout?.(this.nsp.name, this.id, broadcast);
  }

  /** @internal */
  details(): SocketDetails {
    return { id: this.id, handshake: this.handshake, rooms: [...this.rooms], data: this.data };
  }

  // ---- what an adapter built on socket.io-adapter reads (socket.io's names) ----

  /** @internal Tells the catch-all outgoing listeners of a packet such an adapter delivers. */
  notifyOutgoingListeners(packet: { data?: unknown }): void {
    if (this.#anyOutgoingListeners !== undefined) this.#notifyOutgoing(packet.data as unknown[]);
  }

  /**
   * @internal socket.io's `socket.acks`, as far as such an adapter uses it: `set(id, ack)` for its part of
   * a broadcastWithAck; `ack(...args)` gets the client's answer.
   */
  get acks(): { set(id: number, ack: (...args: unknown[]) => void): void } {
    return {
      set: (id, ack) => (this.#acks ??= new AckRegistry(this)).expectForBroadcast(id, (args) => ack.apply(this, args), undefined),
    };
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

  /**
   * @internal The connection under this socket failed (a packet that does not parse, for one). Told to
   * `error` listeners only: a client's garbage must not fill the logs, and the disconnect follows anyway.
   */
  _onError(err: Error): void {
    if (this.listenerCount('error') > 0) this.#reportError(err, undefined);
  }

  /** @internal A packet for this socket arrived. */
  _onPacket(packet: SocketPacket): void {
    switch (packet.type) {
      case SocketPacketType.EVENT:
      case SocketPacketType.BINARY_EVENT: {
        const args = packet.data as unknown[];
        if (packet.id !== undefined) args.push(this.#ackFor(packet.id));
        this.#runMiddlewares(args as [string, ...unknown[]]);
        return;
      }
      case SocketPacketType.ACK:
      case SocketPacketType.BINARY_ACK: {
        if (packet.id !== undefined) this.#acks?.resolve(packet.id, packet.data as unknown[]);
        return;
      }
      case SocketPacketType.DISCONNECT:
        this._onClose('client namespace disconnect');
        return;
      default:
        return;
    }
  }

  /** @internal The socket leaves its namespace, for `reason`. */
  _onClose(reason: DisconnectReason, description?: unknown): void {
    if (!this.connected) return;
    if (log.enabled) log('disconnect socket=%s nsp=%s reason=%s', this.id, this.nsp.name, reason);
    this.#emitSafely('disconnecting', reason, description);
    if (this.pid !== undefined && RECOVERABLE.has(reason)) {
      void this.nsp.adapter.persistSession({ sid: this.id, pid: this.pid, rooms: [...this.rooms], data: this.data });
    }
    this._cleanup();
    this.nsp._remove(this);
    this.client._remove(this);
    this.connected = false;
    const acks = this.#acks;
    this.#acks = undefined;
    acks?.failAll(new RealtimeError(RealtimeErrorCode.DISCONNECTED, 'socket has been disconnected'));
    this.#emitSafely('disconnect', reason, description);
  }

  /** Errors thrown or rejected by this socket's listeners end here, never in the process. */
  override [EventEmitter.captureRejectionSymbol](err: unknown, event?: string | symbol): void {
    this.#reportError(err, event);
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


  #registerAck(listener: (...args: unknown[]) => void, timeout: number | undefined): number {
    const max = this.nsp.host.limits.maxPendingAcks;
    if ((this.#acks?.size ?? 0) >= max) {
      throw new RealtimeError(RealtimeErrorCode.TOO_MANY_PENDING_ACKS, `socket ${this.id} already waits for ${max} acknowledgements (maxPendingAcks)`);
    }
    const id = this.nsp.nextAckId();
    // Called from a client's packet, a timer or a disconnect: what it throws must not escape there.
    const callback = (...args: unknown[]): void => {
      try {
        listener(...args);
      } catch (err) {
        this.#reportError(err, 'ack');
      }
    };
    (this.#acks ??= new AckRegistry(this)).expect(id, callback, timeout);
    return id;
  }

  #ackFor(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent || !this.connected) return;
      sent = true;
      this.client.writePacket(new OutgoingPacket({ type: SocketPacketType.ACK, nsp: this.nsp.name, id, data: args }), {});
    };
  }

  #runMiddlewares(event: [string, ...unknown[]]): void {
    const middlewares = this.#middlewares;
    if (middlewares === undefined) return this.#dispatch(event);
    let index = 0;
    const next = (err?: Error): void => {
      if (!this.connected) return;
      if (err) return this.#reportError(err, event[0]);
      const fn = middlewares[index++];
      if (fn === undefined) return this.#dispatch(event);
      try {
        fn(event, next);
      } catch (thrown) {
        this.#reportError(thrown, event[0]);
      }
    };
    next();
  }

  /** Listeners run a tick later, as in socket.io: an event that arrived with a disconnection is dropped. */
  #dispatch(event: [string, ...unknown[]]): void {
    process.nextTick(Socket.#dispatchNow, this, event);
  }

  static #dispatchNow(socket: Socket<any, any, any, any>, event: [string, ...unknown[]]): void {
    if (socket.connected) socket.#emitEvent(event);
  }

  #emitEvent(event: [string, ...unknown[]]): void {
    try {
      this.#anyListeners?.call(this, event);
      // A client may name its event `error`: with no listener for it, EventEmitter would throw.
      if (event[0] !== 'error' || this.listenerCount('error') > 0) this.emitUntyped(...event);
    } catch (err) {
      this.#reportError(err, event[0]);
    }
  }

  #notifyOutgoing(data: unknown[]): void {
    const listeners = this.#anyOutgoingListeners;
    if (listeners === undefined) return;
    try {
      listeners.call(this, data);
    } catch (err) {
      this.#reportError(err, typeof data[0] === 'string' ? data[0] : undefined);
    }
  }

  #emitSafely(ev: 'disconnect' | 'disconnecting', reason: DisconnectReason, description: unknown): void {
    try {
      this.emitReserved(ev, reason, description);
    } catch (err) {
      this.#reportError(err, ev);
    }
  }

  /** `event` names what threw: the event whose listener or middleware it was, `ack`, `disconnect`, … */
  #reportError(err: unknown, event: string | symbol | undefined): void {
    const error = err instanceof Error ? err : new Error(String(err));
    // An acknowledgement (or emit) the listener made could not be encoded: its client would wait for an
    // answer that never comes, so it is disconnected, and one line is logged rather than a stack.
    const unencodable = error instanceof RealtimeError && error.code === RealtimeErrorCode.UNENCODABLE;
    if (unencodable) queueMicrotask(() => this.disconnect());
    if (this.listenerCount('error') > 0) {
      try {
        this.emitReserved('error', error);
        return;
      } catch {
        // an error listener that throws is reported below
      }
    }
    reportListenerError(this.nsp.host.logger, { socket: this.id, nsp: this.nsp.name, event }, error);
  }
}
