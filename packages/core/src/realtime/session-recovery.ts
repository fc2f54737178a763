import { type SocketPacket, SocketPacketType } from '../protocol/socket-packet.js';
import type { BroadcastOptions, Room, SocketId } from './broadcast-options.js';

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

/**
 * The two methods through which namespaces and sockets keep and bring back sessions: the shape of
 * socket.io-adapter's `persistSession` / `restoreSession`. Our {@link Adapter} answers them with its
 * {@link SessionRecovery}; an adapter built on socket.io-adapter answers them itself.
 */
export interface SessionPersistence {
  persistSession(session: PersistedSession): Promise<void> | void;
  restoreSession(pid: string, offset: string): Promise<RestoredSession | null> | RestoredSession | null;
}

/** One broadcast event as a store keeps it: its arguments (without the offset) and whom it was for. */
export interface RecordedEvent {
  data: unknown[];
  rooms: Room[];
  except: Room[];
}

/**
 * Where connection state recovery keeps broadcast events and disconnected sessions. Core has one in
 * memory (`MemorySessionStore`); `@switchyard/redis` keeps them in a Redis stream shared by every node.
 * Each method may answer at once or with a promise.
 */
export interface SessionStore {
  /**
   * Keeps a broadcast event; answers its offset, which clients see as the event's last argument. Never
   * rejects: a store that cannot keep it now answers an offset no kept event has.
   */
  append(event: RecordedEvent): string | Promise<string>;
  /** Keeps a disconnected socket's state for `maxDisconnectionDuration`. */
  persist(session: PersistedSession): Promise<void> | void;
  /** The state kept under `pid`, if it has not expired; the store forgets it (a session comes back once). */
  take(pid: string): Promise<PersistedSession | undefined> | PersistedSession | undefined;
  /**
   * Calls `visit` for each event kept after `offset`, oldest first, with its offset; answers false (and
   * visits nothing) when `offset` is not one it still keeps.
   */
  eventsAfter(offset: string, visit: (event: RecordedEvent, offset: string) => void): Promise<boolean> | boolean;
  /** Reports a failure of a broadcast that waited for an offset (see {@link SessionRecovery.record}). */
  onError?(err: Error): void;
  close(): void;
}

/** A restored session, and the offset of the last event the store read for it. */
export interface RestoredFromStore {
  session: RestoredSession;
  lastOffset: string;
}

/** What connection state recovery keeps: plain events, neither volatile nor waiting for acks. */
export function isRecorded(packet: SocketPacket, opts: BroadcastOptions): boolean {
  return packet.type === SocketPacketType.EVENT && opts.flags.volatile !== true && packet.id === undefined;
}

/** Whether an event sent to `target` reaches a socket in `rooms` (replay and live delivery agree). */
export function reaches(target: { rooms: Iterable<Room>; except: Iterable<Room> }, rooms: ReadonlySet<Room>): boolean {
  let targeted = false;
  let included = false;
  for (const room of target.rooms) {
    targeted = true;
    if (rooms.has(room)) {
      included = true;
      break;
    }
  }
  if (targeted && !included) return false;
  for (const room of target.except) if (rooms.has(room)) return false;
  return true;
}

/** `packet` with `offset` as its last argument, as clients of connection state recovery expect. */
export function withOffset(packet: SocketPacket, offset: string): SocketPacket {
  return { ...packet, data: [...(packet.data as unknown[]), offset] };
}

/**
 * The record-and-replay rule of connection state recovery, over any {@link SessionStore}: which
 * broadcasts are kept, the offset they carry, and what a socket that comes back missed. Broadcasts leave
 * in the order they were made even when the store answers offsets later.
 */
export class SessionRecovery {
  readonly store: SessionStore;
  /** Broadcasts wait here, in order, while an earlier one waits for its offset. */
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;

  constructor(store: SessionStore) {
    this.store = store;
  }

  /**
   * Gives a broadcast its offset when it is one to keep, then calls `send` with it (`offset` undefined
   * for a broadcast not kept): at once, or after the broadcasts made before it.
   */
  record(packet: SocketPacket, opts: BroadcastOptions, send: (offset: string | undefined) => void): void {
    if (isRecorded(packet, opts)) {
      const offset = this.store.append({ data: packet.data as unknown[], rooms: [...opts.rooms], except: [...opts.except] });
      if (typeof offset === 'string' && this.#waiting === 0) send(offset);
      else this.#inOrder(async () => send(await offset));
    } else if (this.#waiting > 0) {
      this.#inOrder(() => send(undefined));
    } else {
      send(undefined);
    }
  }

  persist(session: PersistedSession): Promise<void> | void {
    return this.store.persist(session);
  }

  /** The session kept under `pid` with every event it missed after `offset`, or null. Used once. */
  async restore(pid: string, offset: string): Promise<RestoredFromStore | null> {
    const session = await this.store.take(pid);
    if (session === undefined) return null;
    const rooms = new Set(session.rooms);
    const missedPackets: unknown[][] = [];
    let lastOffset = offset;
    const known = await this.store.eventsAfter(offset, (event, eventOffset) => {
      lastOffset = eventOffset;
      if (reaches(event, rooms)) missedPackets.push([...event.data, eventOffset]);
    });
    if (!known) return null;
    return { session: { ...session, missedPackets }, lastOffset };
  }

  close(): void {
    this.store.close();
  }

  #inOrder(step: () => void | Promise<void>): void {
    this.#waiting++;
    this.#tail = this.#tail
      .then(step)
      .catch((err: unknown) => this.store.onError?.(err as Error))
      .finally(() => {
        this.#waiting--;
      });
  }
}
