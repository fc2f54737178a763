import { deserialize, serialize } from 'node:v8';
import type { PersistedSession, RecoveryOptions, RestoredSession, Room } from '@switchyard/core';
import type { RedisClient } from './redis-pubsub.js';

/** Stream ids are `<ms>-<seq>`; anything else is not an offset this log handed out. */
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

/** An offset no entry can have: given to a broadcast that could not be logged (Redis away). */
export const UNLOGGED_OFFSET = '0-0';

const PAGE = 500;

interface LoggedPacket {
  data: unknown[];
  rooms: Room[];
  except: Room[];
}

/**
 * Connection state recovery shared by every node: broadcast events go to a Redis stream whose entry id
 * is the offset the clients see, and a disconnected socket's state is kept under its private id with a
 * TTL. A client that comes back on any node gets its id, rooms and data back, and what it missed.
 */
export class RecoveryLog {
  readonly #client: RedisClient;
  readonly #stream: string;
  readonly #sessionPrefix: string;
  readonly #options: RecoveryOptions;
  #expirySetAt = 0;

  constructor(client: RedisClient, key: string, options: RecoveryOptions) {
    this.#client = client;
    this.#stream = `${key}:log`;
    this.#sessionPrefix = `${key}:session:`;
    this.#options = options;
  }

  /**
   * Logs a broadcast event; resolves with its offset (UNLOGGED_OFFSET when Redis is not reachable now).
   * Entries older than maxDisconnectionDuration go.
   */
  async append(data: unknown[], rooms: ReadonlySet<Room>, except: ReadonlySet<Room>): Promise<string> {
    // With Redis away, broadcasts go out at once rather than wait in ioredis's offline queue.
    if (this.#client.status !== 'ready') return UNLOGGED_OFFSET;
    const entry: LoggedPacket = { data, rooms: [...rooms], except: [...except] };
    const oldest = Math.max(0, Date.now() - this.#options.maxDisconnectionDuration);
    const id = await this.#client.xadd(this.#stream, 'MINID', '~', String(oldest), '*', 'p', serialize(entry));
    // A log nobody writes to any more goes away with its last entry (checked at most once a second).
    const now = Date.now();
    if (now - this.#expirySetAt > 1000) {
      this.#expirySetAt = now;
      this.#client.pexpire(this.#stream, this.#options.maxDisconnectionDuration).catch(noop);
    }
    return id ?? UNLOGGED_OFFSET;
  }

  async persist(session: PersistedSession): Promise<void> {
    await this.#client.set(this.#sessionPrefix + session.pid, serialize(session), 'PX', this.#options.maxDisconnectionDuration);
  }

  /** The session kept under `pid` with every event it missed after `offset`, or null. Used once. */
  async restore(pid: string, offset: string): Promise<RestoredSession | null> {
    if (!STREAM_ID.test(offset)) return null;
    const raw = await this.#client.getdelBuffer(this.#sessionPrefix + pid);
    if (raw === null) return null;
    const session = deserialize(raw) as PersistedSession;
    const known = await this.#client.xrangeBuffer(this.#stream, offset, offset);
    if (known.length === 0) return null;
    const rooms = new Set(session.rooms);
    const missedPackets: unknown[][] = [];
    let after = offset;
    for (;;) {
      const page = await this.#client.xrangeBuffer(this.#stream, `(${after}`, '+', 'COUNT', PAGE);
      for (const [id, fields] of page) {
        after = id.toString();
        const packet = deserialize(fields[1]!) as LoggedPacket;
        const included = packet.rooms.length === 0 || packet.rooms.some((room) => rooms.has(room));
        const excluded = packet.except.some((room) => rooms.has(room));
        if (included && !excluded) missedPackets.push([...packet.data, after]);
      }
      if (page.length < PAGE) break;
    }
    return { ...session, missedPackets };
  }
}

function noop(): void {}
