import type { ForwardMessage } from './forward-messages.js';

/** A part of an answer, or of a tunnel's stream: what must arrive whole and in order. */
export type InOrderMessage = Extract<ForwardMessage, { t: 'response' | 'data' }>;

export interface InOrderDeliveryOptions {
  /** Publishes to a node; resolves with how many subscribers heard it. */
  publish(target: string, message: InOrderMessage): Promise<number>;
  /** Whether a count of 0 from `publish` means nobody heard (see RedisPubSub.countsReceivers). */
  countsReceivers(): boolean;
  /** How long a part nobody hears (or that cannot be sent: Redis is away) is tried again. */
  giveUpAfter: number;
  retryMs: number;
  /** Nobody heard a part of `id` in time: the node at the other end is gone, or Redis is. */
  onGiveUp(id: string): void;
  onError(err: Error): void;
}

/**
 * The owner's answers to forwarded requests and both directions of each websocket tunnel, in order for
 * each request or tunnel. A part the other node did not hear — it is subscribing again after a
 * reconnection to Redis — or could not be published — Redis is away — is sent again every `retryMs`,
 * and what follows it waits, so nothing is missed or reordered; after `giveUpAfter` it is gone.
 */
export class InOrderDelivery {
  readonly #options: InOrderDeliveryOptions;
  /** Request or tunnel id → the parts waiting behind the one being sent. */
  readonly #queues = new Map<string, InOrderMessage[]>();
  #closed = false;

  constructor(options: InOrderDeliveryOptions) {
    this.#options = options;
  }

  send(target: string, message: InOrderMessage): void {
    const queue = this.#queues.get(message.id);
    if (queue !== undefined) return void queue.push(message);
    this.#queues.set(message.id, []);
    this.#deliver(target, message, Date.now() + this.#options.giveUpAfter);
  }

  /** Stops sending what is left for `id` (its tunnel or request is over on this side, its peer gone). */
  forget(id: string): void {
    this.#queues.delete(id);
  }

  close(): void {
    this.#closed = true;
    this.#queues.clear();
  }

  #deliver(target: string, message: InOrderMessage, deadline: number): void {
    const again = (): void => {
      if (Date.now() >= deadline) return this.#drop(message.id);
      setTimeout(() => {
        if (!this.#closed && this.#queues.has(message.id)) this.#deliver(target, message, deadline);
      }, this.#options.retryMs);
    };
    this.#options.publish(target, message).then(
      (receivers) => {
        if (this.#closed) return;
        if (receivers > 0 || !this.#options.countsReceivers()) return this.#next(target, message.id);
        again();
      },
      (err: unknown) => {
        this.#options.onError(err as Error);
        if (!this.#closed) again();
      },
    );
  }

  #next(target: string, id: string): void {
    const next = this.#queues.get(id)?.shift();
    if (next === undefined) this.#queues.delete(id);
    else this.#deliver(target, next, Date.now() + this.#options.giveUpAfter);
  }

  #drop(id: string): void {
    if (!this.#queues.delete(id) || this.#closed) return;
    this.#options.onGiveUp(id);
  }
}
