import { type SocketPacket, SocketPacketType } from '../protocol/socket-packet.js';
import { OutgoingPacket } from './outgoing-packet.js';
import { TypedEmitter } from './typed-events.js';

export type Room = string;
/** The flags of an emit that sets none: shared, frozen. */
export const NO_FLAGS: BroadcastFlags = Object.freeze({});

/** No rooms: shared by every selection that names none (never written to). */
export const NO_ROOMS: ReadonlySet<Room> = new Set();

/** One room or several, wherever rooms are chosen. */
export type Rooms = Room | readonly Room[];
export type SocketId = string;

/** Flags of one emit or broadcast. */
export interface BroadcastFlags {
  /** Drop the packet for a socket whose transport cannot take it now. */
  volatile?: boolean;
  /** Ask for compression (permessage-deflate / http compression). Default true. */
  compress?: boolean;
  /** Only this process's sockets, never the other nodes of a cluster. */
  local?: boolean;
  /** Milliseconds to wait for acknowledgements. */
  timeout?: number;
}

/** Which sockets a broadcast or a room operation reaches. */
export interface BroadcastOptions {
  /** Sockets in any of these rooms; every socket of the namespace when empty. */
  rooms: ReadonlySet<Room>;
  /** Minus the sockets in any of these rooms. */
  except: ReadonlySet<Room>;
  flags: BroadcastFlags;
}

/** The plain data of a socket, as another node of a cluster sees it. */
export interface SocketDetails {
  id: SocketId;
  handshake: unknown;
  rooms: Room[];
  data: unknown;
}

/** Connection state recovery settings. */
export interface RecoveryOptions {
  /** How long a disconnected socket's state (id, rooms, data, missed packets) is kept. */
  maxDisconnectionDuration: number;
  /** Whether a recovered socket skips the connection middleware. */
  skipMiddlewares: boolean;
}

/** What is kept of a socket that may come back. */
export interface PersistedSession {
  sid: SocketId;
  pid: string;
  rooms: Room[];
  data: unknown;
}

/** A session brought back, with the event arguments it missed while away. */
export interface RestoredSession extends PersistedSession {
  missedPackets: unknown[][];
}

interface RecordedPacket {
  offset: string;
  emittedAt: number;
  data: unknown[];
  rooms: Room[];
  except: Room[];
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
export class Adapter extends TypedEmitter<Record<never, never>, AdapterEvents> {
  readonly nsp: AdapterNamespace;
  /** Room → the local sockets in it. */
  readonly rooms = new Map<Room, Set<SocketId>>();
  /** Socket → its rooms. */
  readonly sids = new Map<SocketId, Set<Room>>();

  #recovery: RecoveryOptions | undefined;
  readonly #persisted = new Map<string, { session: PersistedSession; disconnectedAt: number }>();
  #recorded: RecordedPacket[] = [];
  #offsetCounter = 0;
  readonly #offsetPrefix = Date.now().toString(36);
  #recoveryTimer: NodeJS.Timeout | undefined;

  constructor(nsp: AdapterNamespace) {
    super();
    this.nsp = nsp;
  }

  /**
   * Turns on connection state recovery: broadcast events carry an offset (their last argument) and are
   * kept for `maxDisconnectionDuration`, so a socket that comes back gets what it missed.
   */
  enableRecovery(options: RecoveryOptions): void {
    this.#recovery = options;
    clearInterval(this.#recoveryTimer);
    this.#recoveryTimer = setInterval(() => this.#forgetExpired(), Math.min(60_000, options.maxDisconnectionDuration));
    this.#recoveryTimer.unref();
  }

  /** Keeps a disconnected socket's state for a later {@link restoreSession}. */
  persistSession(session: PersistedSession): Promise<void> | void {
    if (this.#recovery === undefined) return;
    this.#persisted.set(session.pid, { session, disconnectedAt: Date.now() });
  }

  /**
   * Brings back a socket's state if it left less than maxDisconnectionDuration ago and `offset` (the
   * last broadcast it received) is still known; null otherwise.
   */
  restoreSession(pid: string, offset: string): Promise<RestoredSession | null> {
    const entry = this.#persisted.get(pid);
    const recovery = this.#recovery;
    if (entry === undefined || recovery === undefined) return Promise.resolve(null);
    this.#persisted.delete(pid);
    if (Date.now() - entry.disconnectedAt > recovery.maxDisconnectionDuration) return Promise.resolve(null);
    const index = this.#recorded.findIndex((p) => p.offset === offset);
    if (index === -1) return Promise.resolve(null);
    const rooms = new Set(entry.session.rooms);
    const missedPackets: unknown[][] = [];
    for (let i = index + 1; i < this.#recorded.length; i++) {
      const packet = this.#recorded[i]!;
      const included = packet.rooms.length === 0 || packet.rooms.some((room) => rooms.has(room));
      const excluded = packet.except.some((room) => rooms.has(room));
      if (included && !excluded) missedPackets.push(packet.data);
    }
    return Promise.resolve({ ...entry.session, missedPackets });
  }

  /** Called once before the namespace is used. */
  init(): Promise<void> | void {}

  /** Called once when the server closes. */
  close(): Promise<void> | void {
    clearInterval(this.#recoveryTimer);
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
    const outgoing = new OutgoingPacket(this.#recovery === undefined ? packet : this.#record(packet, opts), true);
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

  /** Gives a broadcast event its offset and keeps it for sockets that come back. */
  #record(packet: SocketPacket, opts: BroadcastOptions): SocketPacket {
    if (packet.type !== SocketPacketType.EVENT || opts.flags.volatile === true || packet.id !== undefined) return packet;
    const offset = `${this.#offsetPrefix}-${(this.#offsetCounter++).toString(36)}`;
    const data = [...(packet.data as unknown[]), offset];
    this.#recorded.push({ offset, emittedAt: Date.now(), data, rooms: [...opts.rooms], except: [...opts.except] });
    return { ...packet, data };
  }

  #forgetExpired(): void {
    const recovery = this.#recovery;
    if (recovery === undefined) return;
    const cutoff = Date.now() - recovery.maxDisconnectionDuration;
    for (const [pid, entry] of this.#persisted) if (entry.disconnectedAt < cutoff) this.#persisted.delete(pid);
    const firstKept = this.#recorded.findIndex((p) => p.emittedAt >= cutoff);
    this.#recorded = firstKept === -1 ? [] : this.#recorded.slice(firstKept);
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
