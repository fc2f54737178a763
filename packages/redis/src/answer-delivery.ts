import type { ForwardMessage } from './forward-messages.js';

type AnswerMessage = Extract<ForwardMessage, { t: 'response' }>;

export interface AnswerDeliveryOptions {
  /** Publishes to a node; resolves with how many subscribers heard it. */
  publish(target: string, message: AnswerMessage): Promise<number>;
  /** Whether a count of 0 from `publish` means nobody heard (see RedisPubSub.countsReceivers). */
  countsReceivers(): boolean;
  /** How long an answer nobody hears is tried again. */
  giveUpAfter: number;
  retryMs: number;
  /** Nobody heard the answer to `id` in time, or it could not be sent: the requester is gone. */
  onGiveUp(id: string): void;
  onError(err: Error): void;
}

/**
 * The owner's answers to forwarded requests, in order for each request. An answer the requester did not
 * hear — it is subscribing again after a reconnection to Redis — is sent again every `retryMs`, and what
 * follows it waits, so the requester never misses a part of an answer; after `giveUpAfter` it is gone.
 */
export class AnswerDelivery {
  readonly #options: AnswerDeliveryOptions;
  /** Request id → the parts waiting behind the one being sent. */
  readonly #queues = new Map<string, AnswerMessage[]>();
  #closed = false;

  constructor(options: AnswerDeliveryOptions) {
    this.#options = options;
  }

  send(target: string, message: AnswerMessage): void {
    const queue = this.#queues.get(message.id);
    if (queue !== undefined) return void queue.push(message);
    this.#queues.set(message.id, []);
    this.#deliver(target, message, Date.now() + this.#options.giveUpAfter);
  }

  close(): void {
    this.#closed = true;
    this.#queues.clear();
  }

  #deliver(target: string, message: AnswerMessage, deadline: number): void {
    this.#options.publish(target, message).then(
      (receivers) => {
        if (this.#closed) return;
        if (receivers > 0 || !this.#options.countsReceivers()) return this.#next(target, message.id);
        if (Date.now() < deadline) return void setTimeout(() => this.#deliver(target, message, deadline), this.#options.retryMs);
        this.#drop(message.id);
      },
      (err: unknown) => {
        this.#options.onError(err as Error);
        this.#drop(message.id);
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
