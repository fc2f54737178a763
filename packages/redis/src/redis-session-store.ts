import { decode, encode } from 'notepack.io';
import type { PersistedSession, RecordedEvent, RecoveryOptions, SessionStore } from '@switchyard/core';
import type { RedisDriver } from './redis-driver.js';

/** Stream ids are `<ms>-<seq>`; anything else is not an offset this log handed out. */
const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;

/** An offset no entry can have: given to a broadcast that could not be logged (Redis away). */
export const UNLOGGED_OFFSET = '0-0';

const PAGE = 500;

/**
 * Connection state recovery's store shared by every node: broadcast events go to a Redis stream whose
 * entry id is the offset the clients see, and a disconnected socket's state is kept under its private id
 * with a TTL. A client that comes back on any node gets its id, rooms and data back, and what it missed
 * (core's SessionRecovery applies the rule). Entries and sessions are MessagePack (as base64 text),
 * whichever client library wrote them.
 */
export class RedisSessionStore implements SessionStore {
  readonly #driver: RedisDriver;
  readonly #stream: string;
  readonly #sessionPrefix: string;
  readonly #options: RecoveryOptions;
  readonly #onError: (err: Error) => void;
  #expirySetAt = 0;

  constructor(driver: RedisDriver, key: string, options: RecoveryOptions, onError: (err: Error) => void) {
    this.#driver = driver;
    this.#stream = `${key}:log`;
    this.#sessionPrefix = `${key}:session:`;
    this.#options = options;
    this.#onError = onError;
  }

  /**
   * Logs a broadcast event; resolves with its offset (UNLOGGED_OFFSET when Redis is not reachable now, or
   * the write failed). Entries older than maxDisconnectionDuration go.
   */
  async append(entry: RecordedEvent): Promise<string> {
    try {
      return await this.#append(entry);
    } catch (err) {
      this.#onError(err as Error);
      return UNLOGGED_OFFSET;
    }
  }

  onError(err: Error): void {
    this.#onError(err);
  }

  async #append(entry: RecordedEvent): Promise<string> {
    // With Redis away, broadcasts go out at once rather than wait in the client's offline queue.
    if (!this.#driver.ready()) return UNLOGGED_OFFSET;
    const oldest = Math.max(0, Date.now() - this.#options.maxDisconnectionDuration);
    const id = await this.#driver.command(['XADD', this.#stream, 'MINID', '~', String(oldest), '*', 'p', pack(entry)]);
    // A log nobody writes to any more goes away with its last entry (checked at most once a second).
    const now = Date.now();
    if (now - this.#expirySetAt > 1000) {
      this.#expirySetAt = now;
      this.#driver.command(['PEXPIRE', this.#stream, String(this.#options.maxDisconnectionDuration)]).catch(noop);
    }
    return typeof id === 'string' ? id : UNLOGGED_OFFSET;
  }

  async persist(session: PersistedSession): Promise<void> {
    try {
      await this.#driver.command(['SET', this.#sessionPrefix + session.pid, pack(session), 'PX', String(this.#options.maxDisconnectionDuration)]);
    } catch (err) {
      this.#onError(err as Error);
    }
  }

  async take(pid: string): Promise<PersistedSession | undefined> {
    const raw = await this.#driver.command(['GETDEL', this.#sessionPrefix + pid]);
    return typeof raw === 'string' ? (unpack(raw) as PersistedSession) : undefined;
  }

  async eventsAfter(offset: string, visit: (event: RecordedEvent, offset: string) => void): Promise<boolean> {
    if (!STREAM_ID.test(offset)) return false;
    const known = (await this.#driver.command(['XRANGE', this.#stream, offset, offset])) as unknown[];
    if (known.length === 0) return false;
    let after = offset;
    for (;;) {
      const page = (await this.#driver.command(['XRANGE', this.#stream, `(${after}`, '+', 'COUNT', String(PAGE)])) as [string, string[]][];
      for (const [id, fields] of page) {
        after = id;
        visit(unpack(fields[1]!) as RecordedEvent, id);
      }
      if (page.length < PAGE) break;
    }
    return true;
  }

  close(): void {}
}

/** Orders two offsets (stream ids): negative when `a` came first. */
export function compareOffsets(a: string, b: string): number {
  const [, aMs = '0', aSeq = '0'] = STREAM_ID.exec(a) ?? [];
  const [, bMs = '0', bSeq = '0'] = STREAM_ID.exec(b) ?? [];
  const ms = BigInt(aMs) - BigInt(bMs);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(aSeq) - BigInt(bSeq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

function pack(value: unknown): string {
  return (encode(value) as Buffer).toString('base64');
}

function unpack(text: string): unknown {
  return decode(Buffer.from(text, 'base64'));
}

function noop(): void {}
