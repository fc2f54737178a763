/* eslint-disable @typescript-eslint/no-explicit-any */
import { EventEmitter } from 'node:events';
import type { Rooms, SocketId } from '../realtime/adapter.js';
import type { AckTimeout } from '../realtime/ack-registry.js';
import type { BroadcastOperator, RemoteSocket } from '../realtime/broadcast-operator.js';
import type { Namespace, NamespaceMiddleware } from '../realtime/namespace.js';
import type { Socket } from '../realtime/socket.js';
import type {
  AckResult,
  DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  EventNames,
  EventParams,
  EventParamsWithoutAck,
  EventsMap,
} from '../realtime/typed-events.js';

/**
 * What socket.io's Server does through its main namespace, `/`: its listeners (with the whole EventEmitter
 * API), middleware, broadcasts and cluster operations. Only `new_namespace` and `ack_timeout` are the
 * server's own events.
 */
export abstract class MainNamespaceApi<TListen extends EventsMap, TEmit extends EventsMap, TServerSide extends EventsMap, TData> {
  /** The main namespace, `/`. */
  abstract readonly sockets: Namespace<TListen, TEmit, TServerSide, TData>;
  /** The server's own events (`new_namespace`, `ack_timeout`); every other event name is the main namespace's. */
  readonly #serverEvents = new EventEmitter();

  /** Tells the `new_namespace` listeners. */
  protected emitNewNamespace(nsp: Namespace<TListen, TEmit, TServerSide, TData>): void {
    this.#serverEvents.emit('new_namespace', nsp);
  }

  /** Tells the `ack_timeout` listeners; with none, nothing is built. */
  protected emitAckTimeout(namespace: string, socketId: string, broadcast: boolean): void {
    if (this.#serverEvents.listenerCount('ack_timeout') > 0) {
      const timeout: AckTimeout = { namespace, socketId, broadcast };
      this.#serverEvents.emit('ack_timeout', timeout);
    }
  }

  /**
   * Listens on the main namespace (`connection`, and server-side events from other nodes), or to
   * `new_namespace` and `ack_timeout` (an acknowledgement a client of any namespace was asked for that
   * did not come in time) on the server itself.
   */
  on(ev: 'new_namespace', listener: (nsp: Namespace<TListen, TEmit, TServerSide, TData>) => void): this;
  on(ev: 'ack_timeout', listener: (timeout: AckTimeout) => void): this;
  on(ev: 'connection' | 'connect', listener: (socket: Socket<TListen, TEmit, TServerSide, TData>) => void): this;
  on<TEv extends EventNames<TServerSide>>(ev: TEv, listener: TServerSide[TEv]): this;
  on(ev: string, listener: (...args: any[]) => void): this {
    this.#emitterFor(ev).on(ev, listener);
    return this;
  }

  once(ev: string, listener: (...args: any[]) => void): this {
    this.#emitterFor(ev).once(ev, listener);
    return this;
  }

  off(ev: string, listener: (...args: any[]) => void): this {
    this.#emitterFor(ev).off(ev, listener);
    return this;
  }

  // The rest of the EventEmitter API, over the same two emitters, as socket.io's Server has it.

  addListener(ev: string, listener: (...args: any[]) => void): this {
    this.#emitterFor(ev).on(ev, listener);
    return this;
  }

  removeListener(ev: string, listener: (...args: any[]) => void): this {
    return this.off(ev, listener);
  }

  prependListener(ev: string, listener: (...args: any[]) => void): this {
    this.#emitterFor(ev).prependListener(ev, listener);
    return this;
  }

  prependOnceListener(ev: string, listener: (...args: any[]) => void): this {
    this.#emitterFor(ev).prependOnceListener(ev, listener);
    return this;
  }

  removeAllListeners(ev?: string): this {
    if (ev === undefined) {
      this.#serverEvents.removeAllListeners();
      this.#main.removeAllListeners();
    } else {
      this.#emitterFor(ev).removeAllListeners(ev);
    }
    return this;
  }

  listeners(ev: string): Array<(...args: any[]) => void> {
    return this.#emitterFor(ev).listeners(ev) as Array<(...args: any[]) => void>;
  }

  rawListeners(ev: string): Array<(...args: any[]) => void> {
    return this.#emitterFor(ev).rawListeners(ev) as Array<(...args: any[]) => void>;
  }

  listenerCount(ev: string): number {
    return this.#emitterFor(ev).listenerCount(ev);
  }

  eventNames(): Array<string | symbol> {
    return [...this.#serverEvents.eventNames(), ...this.#main.eventNames()];
  }

  setMaxListeners(n: number): this {
    this.#serverEvents.setMaxListeners(n);
    this.#main.setMaxListeners(n);
    return this;
  }

  getMaxListeners(): number {
    return this.#main.getMaxListeners();
  }

  #emitterFor(ev: string): EventEmitter {
    return ev === 'new_namespace' || ev === 'ack_timeout' ? this.#serverEvents : this.#main;
  }

  /** The main namespace as a plain emitter, for listeners of any event name. */
  get #main(): EventEmitter {
    return this.sockets;
  }

  /** Adds a connection middleware to the main namespace. */
  use(fn: NamespaceMiddleware<TListen, TEmit, TServerSide, TData>): this {
    this.sockets.use(fn);
    return this;
  }

  to(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.sockets.to(rooms);
  }

  in(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.sockets.in(rooms);
  }

  except(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.sockets.except(rooms);
  }

  compress(compress: boolean): BroadcastOperator<TEmit, TData> {
    return this.sockets.compress(compress);
  }

  get volatile(): BroadcastOperator<TEmit, TData> {
    return this.sockets.volatile;
  }

  get local(): BroadcastOperator<TEmit, TData> {
    return this.sockets.local;
  }

  timeout(ms: number): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<TEmit>, TData> {
    return this.sockets.timeout(ms);
  }

  emit<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParams<TEmit, TEv>): boolean {
    return this.sockets.emit(ev, ...args);
  }

  emitWithAck<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParamsWithoutAck<TEmit, TEv>): Promise<AckResult<TEmit, TEv>> {
    return this.sockets.emitWithAck(ev, ...args);
  }

  send(...args: unknown[]): this {
    this.sockets.send(...args);
    return this;
  }

  write(...args: unknown[]): this {
    return this.send(...args);
  }

  serverSideEmit<TEv extends EventNames<TServerSide>>(ev: TEv, ...args: EventParams<TServerSide, TEv>): boolean {
    return this.sockets.serverSideEmit(ev, ...args);
  }

  serverSideEmitWithAck<TEv extends EventNames<TServerSide>>(ev: TEv, ...args: EventParamsWithoutAck<TServerSide, TEv>): Promise<unknown[]> {
    return this.sockets.serverSideEmitWithAck(ev, ...args);
  }

  fetchSockets(): Promise<RemoteSocket<TEmit, TData>[]> {
    return this.sockets.fetchSockets();
  }

  /** The ids of every socket of the main namespace. */
  allSockets(): Promise<Set<SocketId>> {
    return this.sockets.allSockets();
  }

  socketsJoin(rooms: Rooms): void {
    this.sockets.socketsJoin(rooms);
  }

  socketsLeave(rooms: Rooms): void {
    this.sockets.socketsLeave(rooms);
  }

  disconnectSockets(close = false): void {
    this.sockets.disconnectSockets(close);
  }

}
