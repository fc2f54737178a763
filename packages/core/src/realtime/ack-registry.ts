import { ackTimeoutError } from './errors.js';

/** What waits for one acknowledgement: the client's arguments, or the reason none will come. */
type Waiter = (args: unknown[], err?: Error) => void;

/** An acknowledgement the server asked a client for that did not come before its timeout (the Server's `ack_timeout` event). */
export interface AckTimeout {
  /** The namespace of the socket, `/` for the main one. */
  namespace: string;
  /** The socket that stayed silent. */
  socketId: string;
  /** True for one client's part of a broadcast (`io.timeout(ms).emit(..., cb)`), false for a single socket's emit. */
  broadcast: boolean;
}

/** Who is told when a timeout passes without an answer: the socket, which passes it up only when someone listens. */
export interface AckTimeoutSink {
  _ackTimedOut(broadcast: boolean): void;
}

/**
 * The acknowledgements one socket is waiting for, by id. Created on first use: most sockets never
 * ask for one.
 */
export class AckRegistry {
  readonly #waiters = new Map<number, Waiter>();
  readonly #sink: AckTimeoutSink;

  constructor(sink: AckTimeoutSink) {
    this.#sink = sink;
  }

  /**
   * Waits for the answer to packet `id`. With a timeout, `callback(err)` fires when none came in time and
   * `callback(null, ...args)` otherwise; without one, `callback(...args)` as socket.io does.
   */
  expect(id: number, callback: (...args: unknown[]) => void, timeout: number | undefined): void {
    if (timeout === undefined) {
      this.#waiters.set(id, (args, err) => {
        if (err === undefined) callback(...args);
      });
      return;
    }
    const timer = setTimeout(() => {
      this.#waiters.delete(id);
      this.#sink._ackTimedOut(false);
      callback(ackTimeoutError());
    }, timeout);
    this.#waiters.set(id, (args, err) => {
      clearTimeout(timer);
      if (err !== undefined) callback(err);
      else callback(null, ...args);
    });
  }

  /**
   * Waits for one client's part of a broadcast: `onAck(args)` on an answer, nothing otherwise. The entry
   * goes when the broadcast stops waiting, so a silent client does not pile them up.
   */
  expectForBroadcast(id: number, onAck: (args: unknown[]) => void, timeout: number | undefined): void {
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => {
            this.#waiters.delete(id);
            this.#sink._ackTimedOut(true);
          }, timeout);
    this.#waiters.set(id, (args, err) => {
      clearTimeout(timer);
      if (err === undefined) onAck(args);
    });
  }

  /** How many acknowledgements are awaited. */
  get size(): number {
    return this.#waiters.size;
  }

  /** Hands the client's answer to whoever waits for `id`; false when nobody does. */
  resolve(id: number, args: unknown[]): boolean {
    const waiter = this.#waiters.get(id);
    if (waiter === undefined) return false;
    this.#waiters.delete(id);
    waiter(args);
    return true;
  }

  /** Tells every waiter that no answer will come. */
  failAll(err: Error): void {
    const waiters = [...this.#waiters.values()];
    this.#waiters.clear();
    for (const waiter of waiters) waiter([], err);
  }
}
