/* eslint-disable @typescript-eslint/no-explicit-any */
import { EventEmitter } from 'node:events';
import { compactListenerTable } from '../engine/listener-table.js';
import { type SocketPacket, SocketPacketType } from '../protocol/socket-packet.js';
import type { BroadcastFlags } from './adapter.js';
import { AckRegistry } from './ack-registry.js';
import { type AnyListener, AnyListeners } from './any-listeners.js';
import { RealtimeError, RealtimeErrorCode } from './errors.js';
import { OutgoingPacket } from './outgoing-packet.js';
import { reportListenerError } from './report-listener-error.js';
import type { SocketClient } from './socket-client.js';
import type { SocketNamespace } from './socket-namespace.js';
import { type EventsMap, TypedEmitter } from './typed-events.js';

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

export type PacketMiddleware = (event: [string, ...unknown[]], next: (err?: Error) => void) => void;

/**
 * The machinery under {@link Socket}, as its client, namespace and adapter see it: packets that arrive
 * (events through the packet middleware to the listeners, acknowledgements to their callbacks), the
 * acknowledgements this socket waits for, the catch-all listeners, and the one place where what a
 * listener threw is reported. The application's API (emit, rooms, broadcasts, disconnect) is in socket.ts.
 */
export abstract class SocketBase<TListen extends EventsMap> extends TypedEmitter<TListen, SocketReservedEvents> {
  readonly id: string;
  readonly nsp: SocketNamespace;
  readonly client: SocketClient;
  connected = false;

  #acks: AckRegistry | undefined;
  #anyListeners: AnyListeners | undefined;
  #anyOutgoingListeners: AnyListeners | undefined;
  #middlewares: PacketMiddleware[] | undefined;

  constructor(nsp: SocketNamespace, client: SocketClient, id: string) {
    super({ captureRejections: true });
    compactListenerTable(this); // the application's listeners, in a table that costs half of Node's
    this.nsp = nsp;
    this.client = client;
    this.id = id;
  }

  /** Leaves this namespace; with `close`, ends the whole connection. */
  abstract disconnect(close?: boolean): this;

  /** @internal The socket leaves its namespace, for `reason`. */
  abstract _onClose(reason: DisconnectReason, description?: unknown): void;

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
    if (this.#anyOutgoingListeners !== undefined) this.notifyOutgoing(packet.packet.data as unknown[]);
    this.client.writePacket(packet, flags);
  }

  /**
   * @internal A broadcast's acknowledgement counts in maxPendingAcks as a single emit's does: a socket that
   * already waits for that many is left out of the broadcast (false), which then does not wait for it.
   */
  deliverWithAck(packet: SocketPacket, flags: BroadcastFlags, onAck: (args: unknown[]) => void): boolean {
    if ((this.#acks?.size ?? 0) >= this.nsp.host.limits.maxPendingAcks) return false;
    if (this.#anyOutgoingListeners !== undefined) this.notifyOutgoing(packet.data as unknown[]);
    const id = this.nsp.nextAckId();
    (this.#acks ??= new AckRegistry(this)).expectForBroadcast(id, onAck, flags.timeout);
    this.client.writePacket(new OutgoingPacket({ ...packet, id }), flags);
    return true;
  }

  /** @internal An acknowledgement this socket's client was asked for did not come in time (told to the host, which tells its listeners). */
  _ackTimedOut(broadcast: boolean): void {
    this.nsp.host.onAckTimeout?.(this.nsp.name, this.id, broadcast);
  }

  // ---- what an adapter built on socket.io-adapter reads (socket.io's names) ----

  /** @internal Tells the catch-all outgoing listeners of a packet such an adapter delivers. */
  notifyOutgoingListeners(packet: { data?: unknown }): void {
    if (this.#anyOutgoingListeners !== undefined) this.notifyOutgoing(packet.data as unknown[]);
  }

  /** @internal socket.io's `socket.acks` as such an adapter uses it: `set(id, ack)`, its part of a broadcastWithAck. */
  get acks(): { set(id: number, ack: (...args: unknown[]) => void): void } {
    return {
      set: (id, ack) => (this.#acks ??= new AckRegistry(this)).expectForBroadcast(id, (args) => ack.apply(this, args), undefined),
    };
  }

  // ---- called by the client ----

  /**
   * @internal The connection under this socket failed (a packet that does not parse, for one). Told to
   * `error` listeners only: a client's garbage must not fill the logs, and the disconnect follows anyway.
   */
  _onError(err: Error): void {
    if (this.listenerCount('error') > 0) this.reportError(err, undefined);
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

  /** Errors thrown or rejected by this socket's listeners end here, never in the process. */
  override [EventEmitter.captureRejectionSymbol](err: unknown, event?: string | symbol): void {
    this.reportError(err, event);
  }

  // ---- for Socket ----

  /** Expects the client's acknowledgement of an emit; the id it goes out with. Throws over maxPendingAcks. */
  protected registerAck(listener: (...args: unknown[]) => void, timeout: number | undefined): number {
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
        this.reportError(err, 'ack');
      }
    };
    (this.#acks ??= new AckRegistry(this)).expect(id, callback, timeout);
    return id;
  }

  /** Every awaited acknowledgement fails with `reason()`, made only if one is awaited (a stack trace costs). */
  protected failAcks(reason: () => Error): void {
    const acks = this.#acks;
    this.#acks = undefined;
    if (acks !== undefined && acks.size > 0) acks.failAll(reason());
  }

  /** Tells the catch-all outgoing listeners of `[event, ...args]` going out. */
  protected notifyOutgoing(data: unknown[]): void {
    const listeners = this.#anyOutgoingListeners;
    if (listeners === undefined) return;
    try {
      listeners.call(this, data);
    } catch (err) {
      this.reportError(err, typeof data[0] === 'string' ? data[0] : undefined);
    }
  }

  protected emitSafely(ev: 'disconnect' | 'disconnecting', reason: DisconnectReason, description: unknown): void {
    try {
      this.emitReserved(ev, reason, description);
    } catch (err) {
      this.reportError(err, ev);
    }
  }

  /** `event` names what threw: the event whose listener or middleware it was, `ack`, `disconnect`, … */
  protected reportError(err: unknown, event: string | symbol | undefined): void {
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
      if (err) return this.reportError(err, event[0]);
      const fn = middlewares[index++];
      if (fn === undefined) return this.#dispatch(event);
      try {
        fn(event, next);
      } catch (thrown) {
        this.reportError(thrown, event[0]);
      }
    };
    next();
  }

  /** Listeners run a tick later, as in socket.io: an event that arrived with a disconnection is dropped. */
  #dispatch(event: [string, ...unknown[]]): void {
    process.nextTick(SocketBase.#dispatchNow, this, event);
  }

  static #dispatchNow(socket: SocketBase<any>, event: [string, ...unknown[]]): void {
    if (socket.connected) socket.#emitEvent(event);
  }

  #emitEvent(event: [string, ...unknown[]]): void {
    try {
      this.#anyListeners?.call(this, event);
      // A client may name its event `error`: with no listener for it, EventEmitter would throw.
      if (event[0] !== 'error' || this.listenerCount('error') > 0) this.emitUntyped(...event);
    } catch (err) {
      this.reportError(err, event[0]);
    }
  }
}
