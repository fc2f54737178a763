/* eslint-disable @typescript-eslint/no-explicit-any */
import { EventEmitter } from 'node:events';
import type { Logger } from '../engine/logger.js';
import { type Adapter, type AdapterNamespace, type AdapterSocket, NO_ROOMS, type RecoveryOptions, type Rooms, type SocketId } from './adapter.js';
import { BroadcastOperator, type RemoteSocket } from './broadcast-operator.js';
import { assertEmittable } from './errors.js';
import { type AdapterServerView, type AnyAdapterConstructor, foreignServerSideEmitWithAck, isForeignAdapter } from './foreign-adapter.js';
import { type AnswerNodeRequest, isNodeRequest } from './node-request.js';
import { reportListenerError } from './report-listener-error.js';
import {
  type AckResult,
  type DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  type EventNames,
  type EventParams,
  type EventParamsWithoutAck,
  type EventsMap,
  TypedEmitter,
} from './typed-events.js';

/** What the broadcasting side of a namespace needs from the registry that owns it. */
export interface BroadcastHost {
  readonly adapter: AnyAdapterConstructor;
  /** Connection state recovery, when enabled. */
  readonly recovery: RecoveryOptions | undefined;
  /** The Server the namespaces belong to. */
  readonly owner: unknown;
  /** What an adapter built on socket.io-adapter reads as `nsp.server` when there is no Server (a bare registry). */
  readonly adapterServer: AdapterServerView;
  /** Where the errors of listeners, acknowledgements and jobs are logged (the Server's `logger`). */
  readonly logger: Logger;
  /** Answers another node's request (see node-request.ts); without it such requests go unanswered. */
  readonly answerNodeRequest?: AnswerNodeRequest | undefined;
}

/**
 * A namespace as its adapter and the broadcasting API see it: socket.io's broadcasts to its sockets
 * (`to`, `emit`, `fetchSockets`…), its messages to and from the other nodes (`serverSideEmit`), and its
 * acknowledgement ids. `Namespace` (namespace.ts) adds its own sockets and how they are admitted.
 */
export abstract class BroadcastingNamespace<
    TEmit extends EventsMap,
    TServerSide extends EventsMap,
    TData,
    TReserved extends EventsMap,
  >
  extends TypedEmitter<TServerSide, TReserved>
  implements AdapterNamespace
{
  readonly name: string;
  /** @internal */
  readonly host: BroadcastHost;
  #ackId = 0;

  constructor(host: BroadcastHost, name: string) {
    super({ captureRejections: true });
    this.host = host;
    this.name = name;
  }

  /** Rooms and broadcasts: an instance of the server's adapter class. */
  abstract get adapter(): Adapter;

  /** @internal */
  abstract localSocket(id: SocketId): AdapterSocket | undefined;

  /**
   * The Server this namespace belongs to (an adapter built on socket.io-adapter reads its `encoder` and
   * `opts`), or, for a registry without one, just what such an adapter reads.
   */
  get server(): any {
    return this.host.owner ?? this.host.adapterServer;
  }

  to(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.#operator().to(rooms);
  }

  in(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.#operator().in(rooms);
  }

  except(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.#operator().except(rooms);
  }

  compress(compress: boolean): BroadcastOperator<TEmit, TData> {
    return this.#operator().compress(compress);
  }

  get volatile(): BroadcastOperator<TEmit, TData> {
    return this.#operator().volatile;
  }

  get local(): BroadcastOperator<TEmit, TData> {
    return this.#operator().local;
  }

  timeout(ms: number): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<TEmit>, TData> {
    return this.#operator().timeout(ms);
  }

  /** Emits to every socket of the namespace (on every node). */
  override emit<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParams<TEmit, TEv>): boolean {
    return this.#operator().emit(ev, ...args);
  }

  emitWithAck<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParamsWithoutAck<TEmit, TEv>): Promise<AckResult<TEmit, TEv>> {
    return this.#operator().emitWithAck(ev, ...args);
  }

  send(...args: unknown[]): this {
    (this.emit as (ev: string, ...rest: unknown[]) => boolean)('message', ...args);
    return this;
  }

  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /**
   * Emits to this namespace on the other nodes of the cluster (their `on(ev)` listeners). A callback last
   * receives `(err, responses)`.
   */
  serverSideEmit<TEv extends EventNames<TServerSide>>(ev: TEv, ...args: EventParams<TServerSide, TEv>): boolean {
    assertEmittable(ev as string);
    const data: unknown[] = [ev, ...args];
    const last = data[data.length - 1];
    if (typeof last !== 'function' || isForeignAdapter(this.adapter)) {
      this.adapter.serverSideEmit(data); // socket.io-adapter's takes the callback last, as it came
      return true;
    }
    data.pop();
    const callback = last as (err: Error | null, responses: unknown[]) => void;
    this.adapter.serverSideEmitWithAck(data, undefined).then(
      (responses) => callback(null, responses),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), []),
    );
    return true;
  }

  serverSideEmitWithAck<TEv extends EventNames<TServerSide>>(ev: TEv, ...args: EventParamsWithoutAck<TServerSide, TEv>): Promise<unknown[]> {
    assertEmittable(ev as string);
    if (isForeignAdapter(this.adapter)) return foreignServerSideEmitWithAck(this.adapter, [ev, ...args]);
    return this.adapter.serverSideEmitWithAck([ev, ...args], undefined);
  }

  fetchSockets(): Promise<RemoteSocket<TEmit, TData>[]> {
    return this.#operator().fetchSockets();
  }

  socketsJoin(rooms: Rooms): void {
    this.#operator().socketsJoin(rooms);
  }

  socketsLeave(rooms: Rooms): void {
    this.#operator().socketsLeave(rooms);
  }

  disconnectSockets(close = false): void {
    this.#operator().disconnectSockets(close);
  }

  /** The ids of every socket of the namespace in this process. */
  allSockets(): Promise<Set<SocketId>> {
    return this.adapter.sockets(NO_ROOMS);
  }

  // ---- the adapter's view ----

  /** @internal */
  onServerSideEmit(args: unknown[], ack?: (response: unknown) => void): void {
    if (isNodeRequest(args)) {
      try {
        const answer = this.host.answerNodeRequest?.(args[1], args[2]);
        if (answer !== undefined) ack?.(answer);
      } catch (err) {
        reportListenerError(this.host.logger, { nsp: this.name, event: 'switchyard:node-request' }, err);
      }
      return;
    }
    const data = ack === undefined ? args : [...args, ack];
    try {
      this.emitUntyped(...(data as [string, ...unknown[]]));
    } catch (err) {
      reportListenerError(this.host.logger, { nsp: this.name, event: typeof data[0] === 'string' ? data[0] : undefined }, err);
    }
  }

  /** The Server's `logger` (what an adapter reports through). */
  get logger(): Logger {
    return this.host.logger;
  }

  /** @internal An id for an acknowledgement, unique within this namespace. */
  nextAckId(): number {
    return this.#ackId++;
  }

  // ---- what an adapter built on socket.io-adapter reads (socket.io's names) ----

  /** @internal socket.io's acknowledgement counter: such an adapter takes `_ids++` for a broadcastWithAck. */
  get _ids(): number {
    return this.#ackId;
  }

  set _ids(next: number) {
    this.#ackId = next;
  }

  /** @internal A `serverSideEmit` from another node, the acknowledgement (if any) last in `args`. */
  _onServerSideEmit(args: unknown[]): void {
    const last = args[args.length - 1];
    if (typeof last === 'function' && isNodeRequest(args)) this.onServerSideEmit(args.slice(0, -1), last as (response: unknown) => void);
    else this.onServerSideEmit(args);
  }

  override [EventEmitter.captureRejectionSymbol](err: unknown, event?: string | symbol): void {
    reportListenerError(this.host.logger, { nsp: this.name, event }, err);
  }

  #operator(): BroadcastOperator<TEmit, TData> {
    return new BroadcastOperator<TEmit, TData>(this.adapter);
  }
}
