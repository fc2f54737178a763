import { type EngineError, slowConsumerError } from './errors.js';

/**
 * What waits to be sent to one client, and the slow-consumer rule, for sessions of every generation: a
 * client that stays away (no poll waiting) while more than `maxBytes` waits for it is dropped rather
 * than buffered for until its ping or close timeout; one large message alone never counts, as on
 * websocket. The item list is made by the first item queued and dropped once taken, so an idle session
 * holds none.
 */
export class OutboundBuffer<T> {
  #items: T[] | undefined;
  /** Messages in {@link #items}, and their bytes (UTF-16 units for text). */
  #messages = 0;
  #bytes = 0;

  /** Whether nothing waits. */
  get empty(): boolean {
    return this.#items === undefined;
  }

  /** Queues a message of `bytes` bytes (0 for a control message that still counts as one). */
  push(item: T, bytes: number): void {
    (this.#items ??= []).push(item);
    this.#messages++;
    this.#bytes += bytes;
  }

  /** Queues a message first, ahead of what waits (counted, of no bytes). */
  unshift(item: T): void {
    (this.#items ??= []).unshift(item);
    this.#messages++;
  }

  /** Queues a control packet (a ping, a pong) that neither the message count nor the bytes include. */
  pushControl(item: T): void {
    (this.#items ??= []).push(item);
  }

  /** Everything that waits, oldest first, leaving the buffer empty; undefined when nothing waits. */
  take(): T[] | undefined {
    const items = this.#items;
    this.#items = undefined;
    this.#messages = 0;
    this.#bytes = 0;
    return items;
  }

  /** The slow-consumer rule: the error to close the session with when over `maxBytes` waits, or undefined. */
  overflow(maxBytes: number): EngineError | undefined {
    return this.#bytes > maxBytes && this.#messages > 1 ? slowConsumerError(maxBytes, 'poll') : undefined;
  }
}
