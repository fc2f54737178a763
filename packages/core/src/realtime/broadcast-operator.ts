/* eslint-disable @typescript-eslint/no-explicit-any */
import { consoleLogger } from '../engine/logger.js';
import { SocketPacketType } from '../protocol/socket-packet.js';
import { type Adapter, type BroadcastFlags, type BroadcastOptions, NO_FLAGS, NO_ROOMS, type Room, type Rooms, type SocketDetails, type SocketId } from './adapter.js';
import { ackTimeoutError, assertEmittable } from './errors.js';
import { isForeignAdapter } from './foreign-adapter.js';
import { reportListenerError } from './report-listener-error.js';
import type { DefaultEventsMap, EventNames, EventParams, EventsMap, DecorateAcknowledgementsWithTimeoutAndMultipleResponses, EventParamsWithoutAck, AckResult } from './typed-events.js';


function addRooms(into: Set<Room>, rooms: Rooms): Set<Room> {
  if (typeof rooms === 'string') into.add(rooms);
  else for (const room of rooms) into.add(room);
  return into;
}

/**
 * A selection of sockets (rooms, exceptions, flags) and what can be done to all of them at once: emit,
 * join or leave rooms, disconnect, fetch. Every operation goes through the adapter, so with a cluster
 * adapter it reaches every node. Immutable: each `to`/`except`/flag returns a new operator.
 */
export class BroadcastOperator<TEmit extends EventsMap = DefaultEventsMap, TData = any> {
  readonly #adapter: Adapter;
  readonly #rooms: ReadonlySet<Room>;
  readonly #except: ReadonlySet<Room>;
  readonly #flags: Readonly<BroadcastFlags>;

  constructor(adapter: Adapter, rooms: ReadonlySet<Room> = NO_ROOMS, except: ReadonlySet<Room> = NO_ROOMS, flags: BroadcastFlags = NO_FLAGS) {
    this.#adapter = adapter;
    this.#rooms = rooms;
    this.#except = except;
    this.#flags = flags;
  }

  /** The rooms chosen so far (empty: every socket of the namespace). Read-only, as add-ons read it. */
  get rooms(): ReadonlySet<Room> {
    return this.#rooms;
  }

  /** The rooms whose sockets are left out. */
  get exceptRooms(): ReadonlySet<Room> {
    return this.#except;
  }

  /** The flags of the next operation (`volatile`, `compress`, `local`, `timeout`). */
  get flags(): Readonly<BroadcastFlags> {
    return this.#flags;
  }

  /** Only sockets in these rooms (adds to the rooms already chosen). */
  to(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return new BroadcastOperator(this.#adapter, addRooms(new Set(this.#rooms), rooms), this.#except, this.#flags);
  }

  /** Same as {@link to}. */
  in(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.to(rooms);
  }

  /** Leaves out the sockets in these rooms. */
  except(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return new BroadcastOperator(this.#adapter, this.#rooms, addRooms(new Set(this.#except), rooms), this.#flags);
  }

  compress(compress: boolean): BroadcastOperator<TEmit, TData> {
    return this.#with({ compress });
  }

  /** The packet may be lost for clients that cannot take it right now. */
  get volatile(): BroadcastOperator<TEmit, TData> {
    return this.#with({ volatile: true });
  }

  /** Only the sockets of this process, never the other nodes of a cluster. */
  get local(): BroadcastOperator<TEmit, TData> {
    return this.#with({ local: true });
  }

  /** Waits at most `ms` for the acknowledgements of the next emit. */
  timeout(ms: number): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<TEmit>, TData> {
    return this.#with({ timeout: ms }) as BroadcastOperator<any, TData>;
  }

  /**
   * Emits to every selected socket. With an acknowledgement callback last, it is called once with
   * `(err, responses)`: every client's answer, or an error when the timeout passed first.
   */
  emit<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParams<TEmit, TEv>): boolean {
    assertEmittable(ev as string);
    const data: unknown[] = [ev, ...args];
    const last = data[data.length - 1];
    if (typeof last !== 'function') {
      this.#adapter.broadcast({ type: SocketPacketType.EVENT, nsp: this.#adapter.nsp.name, data }, this.#options());
      return true;
    }
    data.pop();
    this.#emitWithAcks(data, last as (err: Error | null, responses: unknown[]) => void);
    return true;
  }

  /**
   * Emits and resolves with every client's answer; rejects when the timeout passes first, with the
   * answers that did arrive as the error's `responses`.
   */
  emitWithAck<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParamsWithoutAck<TEmit, TEv>): Promise<AckResult<TEmit, TEv>> {
    return new Promise((resolve, reject) => {
      (this.emit as (ev: string, ...rest: unknown[]) => boolean)(ev as string, ...args, (err: Error | null, responses: unknown[]) => {
        if (err) reject(Object.assign(err, { responses }));
        else resolve(responses as AckResult<TEmit, TEv>);
      });
    });
  }

  /** The ids of the sockets in the chosen rooms, as the adapter counts them (exceptions and flags play no part, as in socket.io). */
  allSockets(): Promise<Set<SocketId>> {
    return this.#adapter.sockets(this.#rooms);
  }

  /** The selected sockets, wherever they are connected. */
  async fetchSockets(): Promise<RemoteSocket<TEmit, TData>[]> {
    const found = await this.#adapter.fetchSockets(this.#options());
    return found.map((details) => new RemoteSocket<TEmit, TData>(this.#adapter, details));
  }

  /** Makes the selected sockets join these rooms. */
  socketsJoin(rooms: Rooms): void {
    this.#adapter.addSockets(this.#options(), typeof rooms === 'string' ? [rooms] : rooms);
  }

  /** Makes the selected sockets leave these rooms. */
  socketsLeave(rooms: Rooms): void {
    this.#adapter.delSockets(this.#options(), typeof rooms === 'string' ? [rooms] : rooms);
  }

  /** Disconnects the selected sockets (and closes their connections when `close` is true). */
  disconnectSockets(close = false): void {
    this.#adapter.disconnectSockets(this.#options(), close);
  }

  #with(flags: BroadcastFlags): BroadcastOperator<TEmit, TData> {
    return new BroadcastOperator(this.#adapter, this.#rooms, this.#except, { ...this.#flags, ...flags });
  }

  /** Ours pass a client's answer as an array; one built on socket.io-adapter spreads it. */
  #ackListener(onResponse: (response: unknown) => void): (...args: any[]) => void {
    if (isForeignAdapter(this.#adapter)) return (response: unknown) => onResponse(response);
    return (args: unknown[]) => onResponse(args[0]);
  }

  #options(): BroadcastOptions {
    return { rooms: this.#rooms, except: this.#except, flags: this.#flags };
  }

  #emitWithAcks(data: unknown[], callback: (err: Error | null, responses: unknown[]) => void): void {
    const responses: unknown[] = [];
    let expectedServers = -1;
    let reportedServers = 0;
    let expectedClients = 0;
    let done = false;
    const timeout = this.#flags.timeout;
    const timer = timeout === undefined ? undefined : setTimeout(() => finish(ackTimeoutError()), timeout);
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        callback(err, responses);
      } catch (thrown) {
        // Called from a client's packet or a timer: what the callback throws must not escape there.
        const nsp = this.#adapter.nsp;
        reportListenerError(nsp.logger ?? consoleLogger, { nsp: nsp.name, event: 'ack' }, thrown, 'a broadcast acknowledgement callback threw');
      }
    };
    const check = (): void => {
      if (expectedServers === reportedServers && responses.length >= expectedClients) finish(null);
    };
    const packet = { type: SocketPacketType.EVENT, nsp: this.#adapter.nsp.name, data };
    try {
      this.#adapter.broadcastWithAck(
        packet,
        this.#options(),
        (clients) => {
          expectedClients += clients;
          reportedServers++;
          check();
        },
        this.#ackListener((response) => {
          if (done) return;
          responses.push(response);
          check();
        }),
      );
    } catch (err) {
      done = true;
      clearTimeout(timer);
      throw err;
    }
    const servers = this.#flags.local ? Promise.resolve(1) : this.#adapter.serverCount();
    servers.then(
      (count) => {
        expectedServers = count;
        check();
      },
      (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
    );
  }
}

/**
 * A socket seen through the adapter: its plain details, and operations that travel through the
 * adapter to wherever it is connected.
 */
export class RemoteSocket<TEmit extends EventsMap = DefaultEventsMap, TData = any> {
  readonly id: string;
  readonly handshake: any;
  readonly rooms: Set<Room>;
  readonly data: TData;
  readonly #operator: BroadcastOperator<TEmit, TData>;

  constructor(adapter: Adapter, details: SocketDetails) {
    this.id = details.id;
    this.handshake = details.handshake;
    this.rooms = new Set(details.rooms);
    this.data = details.data as TData;
    this.#operator = new BroadcastOperator<TEmit, TData>(adapter, new Set([details.id]));
  }

  emit<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParams<TEmit, TEv>): boolean {
    return this.#operator.emit(ev, ...args);
  }

  timeout(ms: number): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<TEmit>, TData> {
    return this.#operator.timeout(ms);
  }

  join(rooms: Rooms): void {
    this.#operator.socketsJoin(rooms);
  }

  leave(rooms: Rooms): void {
    this.#operator.socketsLeave(rooms);
  }

  disconnect(close = false): this {
    this.#operator.disconnectSockets(close);
    return this;
  }
}
