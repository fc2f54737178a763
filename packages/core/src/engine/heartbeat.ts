import { DeadlineEntry, DeadlineQueue } from './deadline-queue.js';

export interface HeartbeatOptions<T> {
  /** Milliseconds from the start, or from the last pong, to the next ping. */
  interval: number;
  /** Milliseconds a member has to answer a ping, counted from the moment the ping was due. */
  timeout: number;
  /** Sends a ping to `member`. */
  ping(member: T): void;
  /** `member` did not answer its ping in time. */
  expire(member: T): void;
}

/** A member's place in a {@link Heartbeat}, from {@link Heartbeat.start}. */
export type HeartbeatEntry<T> = DeadlineEntry<T>;

/**
 * The heartbeat of every session of one engine, on two timers in all: one queue of members waiting for
 * their next ping, one of members whose pong is awaited. Deadlines are fixed points in time; a ping sent
 * late still expects its pong `timeout` after the moment it was due.
 */
export class Heartbeat<T> {
  readonly #interval: number;
  readonly #silence: number;
  readonly #pings: DeadlineQueue<T>;
  readonly #pongs: DeadlineQueue<T>;
  /** Members that ping the server themselves (Engine.IO v3), by the deadline of their next ping. */
  readonly #pingers: DeadlineQueue<T>;

  constructor(options: HeartbeatOptions<T>) {
    const { timeout, ping, expire } = options;
    this.#interval = options.interval;
    this.#silence = options.interval + timeout;
    const pongs = (this.#pongs = new DeadlineQueue((entry) => expire(entry.item)));
    this.#pingers = new DeadlineQueue((entry) => expire(entry.item));
    this.#pings = new DeadlineQueue((entry) => {
      pongs.add(entry, entry.deadline + timeout);
      ping(entry.item);
    });
  }

  /** Adds `member`: its first ping is due one interval from now. */
  start(member: T): HeartbeatEntry<T> {
    const entry = new DeadlineEntry(member);
    this.#pings.add(entry, performance.now() + this.#interval);
    return entry;
  }

  /**
   * Adds a member that pings by itself (an Engine.IO v3 client): it must ping within interval + timeout
   * from now, and again within that long after each ping.
   */
  watch(member: T): HeartbeatEntry<T> {
    const entry = new DeadlineEntry(member);
    this.#pingers.add(entry, performance.now() + this.#silence);
    return entry;
  }

  /** A member added by {@link watch} pinged: its next ping is due interval + timeout from now. */
  pinged(entry: HeartbeatEntry<T>): void {
    if (entry.queue === this.#pingers) this.#pingers.add(entry, performance.now() + this.#silence);
  }

  /** `member` answered: its next ping is due one interval from now. Ignored unless a ping was awaited. */
  pong(entry: HeartbeatEntry<T>): void {
    if (entry.queue === this.#pongs) this.#pings.add(entry, performance.now() + this.#interval);
  }

  /** Whether the pong the member owes is overdue now (checked on every request, between timer ticks). */
  expired(entry: HeartbeatEntry<T>): boolean {
    return (entry.queue === this.#pongs || entry.queue === this.#pingers) && performance.now() >= entry.deadline;
  }

  stop(entry: HeartbeatEntry<T>): void {
    entry.queue?.delete(entry);
  }
}
