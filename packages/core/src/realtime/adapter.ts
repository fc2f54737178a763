import type { Logger } from '../engine/logger.js';
import type { SocketPacket } from '../protocol/socket-packet.js';
import type { BroadcastFlags, BroadcastOptions, Room, SocketId } from './broadcast-options.js';
import { NO_ROOMS } from './broadcast-options.js';
import { MemorySessionStore } from './memory-session-store.js';
import { OutgoingPacket } from './outgoing-packet.js';
import {
  type PersistedSession,
  type RecoveryOptions,
  type RestoredSession,
  type SessionPersistence,
  SessionRecovery,
  type SessionStore,
  withOffset,
} from './session-recovery.js';
import { TypedEmitter } from './typed-events.js';

export { type BroadcastFlags, type BroadcastOptions, NO_FLAGS, NO_ROOMS, type Room, type Rooms, type SocketId } from './broadcast-options.js';
export type { PersistedSession, RecoveryOptions, RestoredSession } from './session-recovery.js';

/** The plain data of a socket, as another node of a cluster sees it. */
export interface SocketDetails {
  id: SocketId;
  handshake: unknown;
  rooms: Room[];
  data: unknown;
}

/** What an adapter may do with a socket of its own process: nothing more. */
export interface AdapterSocket {
  readonly id: SocketId;
  /** Writes an already-encoded packet to this socket. */
  deliver(packet: OutgoingPacket, flags: BroadcastFlags): void;
  /**
   * Delivers a packet that wants an acknowledgement; `onAck` gets the client's answer. False, and nothing
   * sent, when the socket already waits for maxPendingAcks answers: the broadcast does not count it.
   */
  deliverWithAck(packet: SocketPacket, flags: BroadcastFlags, onAck: (args: unknown[]) => void): boolean;
  join(rooms: Room | readonly Room[]): void;
  leave(room: Room): void;
  disconnect(close?: boolean): void;
  details(): SocketDetails;
}

/** What an adapter sees of its namespace. */
export interface AdapterNamespace {
  readonly name: string;
  localSocket(id: SocketId): AdapterSocket | undefined;
  /** Runs the namespace's `serverSideEmit` listeners for a message from another node. */
  onServerSideEmit(args: unknown[], ack?: (response: unknown) => void): void;
  /** The Server's `logger`, where an adapter reports what goes wrong (a lost connection to its broker). */
  readonly logger?: Logger;
}

/**
 * What an adapter tells about its rooms, under socket.io-adapter's names (the Admin UI, for one, listens):
 * local sockets only, as they join and leave.
 */
export interface AdapterEvents {
  'create-room': (room: Room) => void;
  'delete-room': (room: Room) => void;
  'join-room': (room: Room, id: SocketId) => void;
  'leave-room': (room: Room, id: SocketId) => void;
}

/**
 * Where rooms live and how broadcasts reach sockets. This default keeps everything in this process;
 * a cluster adapter (see `ClusterAdapter`) also carries every operation to the other nodes.
 */
export class Adapter extends TypedEmitter<Record<never, never>, AdapterEvents> implements SessionPersistence {
  readonly nsp: AdapterNamespace;
  /** Room → the local sockets in it. */
  readonly rooms = new Map<Room, Set<SocketId>>();
  /** Socket → its rooms. */
  readonly sids = new Map<SocketId, Set<Room>>();

  #recovery: SessionRecovery | undefined;

  constructor(nsp: AdapterNamespace) {
    super();
    this.nsp = nsp;
  }

  /**
   * Turns on connection state recovery: broadcast events carry an offset (their last argument) and are
   * kept for `maxDisconnectionDuration` in the store {@link createSessionStore} gives, so a socket that
   * comes back gets what it missed.
   */
  enableRecovery(options: RecoveryOptions): void {
    this.#recovery?.close();
    this.#recovery = new SessionRecovery(this.createSessionStore(options));
  }

  /** Where recovery keeps events and sessions: this process's memory. A cluster adapter shares one. */
  protected createSessionStore(options: RecoveryOptions): SessionStore {
    return new MemorySessionStore(options);
  }

  /** Connection state recovery, once enabled. */
  protected get recovery(): SessionRecovery | undefined {
    return this.#recovery;
  }

  /** Keeps a disconnected socket's state for a later {@link restoreSession}. */
  persistSession(session: PersistedSession): Promise<void> | void {
    return this.#recovery?.persist(session);
  }

  /**
   * Brings back a socket's state if it left less than maxDisconnectionDuration ago and `offset` (the
   * last broadcast it received) is still known; null otherwise.
   */
  async restoreSession(pid: string, offset: string): Promise<RestoredSession | null> {
    const restored = await this.#recovery?.restore(pid, offset);
    return restored?.session ?? null;
  }

  /** Called once before the namespace is used. */
  init(): Promise<void> | void {}

  /** Called once when the server closes. */
  close(): Promise<void> | void {
    this.#recovery?.close();
  }

  /** How many nodes share this namespace (1 without a cluster). */
  serverCount(): Promise<number> {
    return Promise.resolve(1);
  }

  addAll(id: SocketId, rooms: Iterable<Room>): void {
    let own = this.sids.get(id);
    if (own === undefined) this.sids.set(id, (own = new Set()));
    for (const room of rooms) {
      own.add(room);
      let members = this.rooms.get(room);
      if (members === undefined) {
        this.rooms.set(room, (members = new Set()));
        this.emitReserved('create-room', room);
      }
      if (!members.has(id)) {
        members.add(id);
        this.emitReserved('join-room', room, id);
      }
    }
  }

  del(id: SocketId, room: Room): void {
    this.sids.get(id)?.delete(room);
    this.#leave(id, room);
  }

  delAll(id: SocketId): void {
    const own = this.sids.get(id);
    if (own === undefined) return;
    for (const room of own) this.#leave(id, room);
    this.sids.delete(id);
  }

  socketRooms(id: SocketId): Set<Room> | undefined {
    return this.sids.get(id);
  }

  /** Sends a packet to every matching socket of this process. */
  broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    const recovery = this.#recovery;
    if (recovery === undefined) this.broadcastLocal(packet, opts);
    else recovery.record(packet, opts, (offset) => this.broadcastLocal(offset === undefined ? packet : withOffset(packet, offset), opts));
  }

  /** Sends a packet, as it is, to every matching socket of this process. */
  protected broadcastLocal(packet: SocketPacket, opts: BroadcastOptions): void {
    const outgoing = new OutgoingPacket(packet, true);
    this.forEachLocal(opts, (socket) => socket.deliver(outgoing, opts.flags));
  }

  /**
   * Sends a packet that wants acknowledgements: `onCount` learns how many clients were reached (called
   * once per node), `onAck` gets each client's answer.
   */
  broadcastWithAck(
    packet: SocketPacket,
    opts: BroadcastOptions,
    onCount: (clients: number) => void,
    onAck: (args: unknown[]) => void,
  ): void {
    let count = 0;
    this.forEachLocal(opts, (socket) => {
      if (socket.deliverWithAck(packet, opts.flags, onAck)) count++;
    });
    onCount(count);
  }

  /** The ids of the local sockets in any of `rooms` (all of them when empty). */
  sockets(rooms: ReadonlySet<Room>): Promise<Set<SocketId>> {
    const ids = new Set<SocketId>();
    this.forEachLocal({ rooms, except: NO_ROOMS, flags: {} }, (socket) => ids.add(socket.id));
    return Promise.resolve(ids);
  }

  fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const found: SocketDetails[] = [];
    this.forEachLocal(opts, (socket) => found.push(socket.details()));
    return Promise.resolve(found);
  }

  addSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    for (const socket of this.selectLocal(opts)) socket.join(rooms);
  }

  delSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    for (const socket of this.selectLocal(opts)) for (const room of rooms) socket.leave(room);
  }

  disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    for (const socket of this.selectLocal(opts)) socket.disconnect(close);
  }

  /** Sends an event to the other nodes' namespaces. Alone, there is nobody to tell. */
  serverSideEmit(_args: unknown[]): void {}

  /** Like {@link serverSideEmit}, resolving with every other node's answer. Alone: no answers. */
  serverSideEmitWithAck(_args: unknown[], _timeout: number | undefined): Promise<unknown[]> {
    return Promise.resolve([]);
  }

  /** The local sockets that `opts` selects, as a list that later room changes cannot disturb. */
  protected selectLocal(opts: BroadcastOptions): AdapterSocket[] {
    const selected: AdapterSocket[] = [];
    this.forEachLocal(opts, (socket) => selected.push(socket));
    return selected;
  }

  /** Calls `fn` for each local socket that `opts` selects; `fn` must not change room membership. */
  protected forEachLocal(opts: BroadcastOptions, fn: (socket: AdapterSocket) => void): void {
    const { rooms, except } = opts;
    const excluded = except.size === 0 ? undefined : this.#members(except);
    if (rooms.size === 0) {
      for (const id of this.sids.keys()) {
        if (excluded?.has(id)) continue;
        const socket = this.nsp.localSocket(id);
        if (socket !== undefined) fn(socket);
      }
      return;
    }
    const seen = rooms.size === 1 ? undefined : new Set<SocketId>();
    for (const room of rooms) {
      const members = this.rooms.get(room);
      if (members === undefined) continue;
      for (const id of members) {
        if (excluded?.has(id)) continue;
        if (seen !== undefined) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        const socket = this.nsp.localSocket(id);
        if (socket !== undefined) fn(socket);
      }
    }
  }

  #members(rooms: ReadonlySet<Room>): Set<SocketId> {
    const ids = new Set<SocketId>();
    for (const room of rooms) {
      const members = this.rooms.get(room);
      if (members !== undefined) for (const id of members) ids.add(id);
    }
    return ids;
  }

  #leave(id: SocketId, room: Room): void {
    const members = this.rooms.get(room);
    if (members === undefined || !members.delete(id)) return;
    this.emitReserved('leave-room', room, id);
    if (members.size === 0) {
      this.rooms.delete(room);
      this.emitReserved('delete-room', room);
    }
  }
}

export type AdapterConstructor = new (nsp: AdapterNamespace) => Adapter;
