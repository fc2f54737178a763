import { EventEmitter } from 'node:events';
import type { Cluster, Redis } from 'ioredis';

/** A connection to a single Redis server or to a Redis Cluster, as ioredis makes them. */
export type RedisClient = Redis | Cluster;

export type Handler = (message: Buffer) => void;

const DETECT_RETRY_MS = 500;

export interface RedisPubSubOptions {
  /** Commands and publishing. */
  client: RedisClient;
  /** Subscriptions; default `client.duplicate()` (closed by `close()`). */
  subClient?: RedisClient;
  /**
   * Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7): `true`, `false`, or `'auto'` (default), which uses it
   * when the server is Redis 7 or newer.
   */
  sharded?: boolean | 'auto';
}

export interface RedisPubSubEvents {
  /** A failure of a Redis connection or command; the connections keep retrying on their own. */
  error: [error: Error];
  /** The subscriber connection is (again) ready, with every subscription in place. */
  ready: [];
}

/**
 * Channels over Redis pub/sub, binary-safe. Several handlers may share a channel; the channel is
 * subscribed while one of them is. ioredis reconnects on its own and subscribes again to every channel.
 */
export class RedisPubSub extends EventEmitter<RedisPubSubEvents> {
  readonly client: RedisClient;
  readonly #sub: RedisClient;
  readonly #ownsSub: boolean;
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #mode: Promise<boolean>;
  #sharded = false;
  /** Until the mode is known, nothing has been subscribed. */
  #detected = false;
  #closed = false;
  /** Settled while the subscriber connection is up with its subscriptions; pending while it reconnects. */
  #subscribed: Promise<void> = Promise.resolve();
  #markSubscribed: (() => void) | undefined;

  constructor(options: RedisPubSubOptions) {
    super();
    this.client = options.client;
    this.#ownsSub = options.subClient === undefined;
    // ioredis 6 types Redis' and Cluster's duplicate() differently; both give a client of the same kind.
    this.#sub = options.subClient ?? (options.client as { duplicate(): RedisClient }).duplicate();
    this.#sub.on('messageBuffer', this.#deliver);
    this.#sub.on('smessageBuffer', this.#deliver);
    this.#sub.on('error', this.#onError);
    this.#sub.on('ready', this.#onReady);
    this.#sub.on('close', this.#onClose);
    this.#sub.on('end', this.#releaseWaiters);
    this.client.on('error', this.#onError);
    this.#mode = this.#detectSharded(options.sharded ?? 'auto').then((sharded) => {
      this.#detected = true;
      return (this.#sharded = sharded);
    });
  }

  /** Whether sharded pub/sub is in use (known once the first subscription is made). */
  get sharded(): boolean {
    return this.#sharded;
  }

  /** Resolves once `channel` is subscribed. */
  async subscribe(channel: string, handler: Handler): Promise<void> {
    let handlers = this.#handlers.get(channel);
    if (handlers === undefined) this.#handlers.set(channel, (handlers = new Set()));
    handlers.add(handler);
    if (handlers.size > 1) return;
    const sharded = await this.#mode;
    if (this.#closed || this.#handlers.get(channel) !== handlers) return;
    await (sharded ? this.#sub.ssubscribe(channel) : this.#sub.subscribe(channel));
  }

  unsubscribe(channel: string, handler: Handler): void {
    const handlers = this.#handlers.get(channel);
    if (handlers === undefined || !handlers.delete(handler) || handlers.size > 0) return;
    this.#handlers.delete(channel);
    if (this.#closed) return;
    void this.#mode
      .then((sharded) => (sharded ? this.#sub.sunsubscribe(channel) : this.#sub.unsubscribe(channel)))
      .catch(this.#onError);
  }

  /**
   * Whether `publish` counts every subscriber: always with sharded pub/sub and on a single server; a
   * Redis Cluster counts only the subscribers of the node that took a classic PUBLISH.
   */
  get countsReceivers(): boolean {
    return this.#sharded || !this.client.isCluster;
  }

  /**
   * Resolves once the subscriber connection is up with every subscription in place: at once, unless it
   * is reconnecting. A message whose answer comes back on a subscription waits for this, or the answer
   * could be published before the subscription is back and be lost.
   */
  whenSubscribed(): Promise<void> {
    return this.#subscribed;
  }

  /** Resolves with how many subscribers got the message (see `countsReceivers`). */
  async publish(channel: string, message: Buffer): Promise<number> {
    const sharded = await this.#mode;
    const receivers = await (sharded ? this.client.spublish(channel, message) : this.client.publish(channel, message));
    return Number(receivers);
  }

  /** Stops every subscription; a subscriber connection made here is closed, the given clients are not. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const channels = [...this.#handlers.keys()];
    this.#handlers.clear();
    this.#sub.off('error', this.#onError);
    this.#sub.off('ready', this.#onReady);
    this.#sub.off('close', this.#onClose);
    this.#sub.off('end', this.#releaseWaiters);
    this.client.off('error', this.#onError);
    this.#releaseWaiters();
    if (this.#ownsSub) {
      this.#sub.disconnect();
      return;
    }
    this.#sub.off('messageBuffer', this.#deliver);
    this.#sub.off('smessageBuffer', this.#deliver);
    if (channels.length > 0 && this.#detected) {
      const sharded = await this.#mode;
      // One channel per command: on a Redis Cluster the channels live in different slots.
      await Promise.all(channels.map((channel) => (sharded ? this.#sub.sunsubscribe(channel) : this.#sub.unsubscribe(channel)))).catch(noop);
    }
  }

  readonly #deliver = (channel: Buffer, message: Buffer): void => {
    const handlers = this.#handlers.get(channel.toString());
    if (handlers === undefined) return;
    for (const handler of handlers) {
      try {
        handler(message);
      } catch (err) {
        this.#onError(err instanceof Error ? err : new Error(String(err)));
      }
    }
  };

  /**
   * Every node must make the same choice, so a failed check is tried again (every DETECT_RETRY_MS)
   * rather than guessed: until Redis answers, subscriptions and publishes wait.
   */
  async #detectSharded(choice: boolean | 'auto'): Promise<boolean> {
    if (choice !== 'auto') return choice;
    for (;;) {
      try {
        const info = await this.client.info('server');
        return Number(/redis_version:(\d+)/.exec(info)?.[1]) >= 7;
      } catch (err) {
        this.#onError(err instanceof Error ? err : new Error(String(err)));
        if (this.#closed) return false;
        await new Promise((resolve) => setTimeout(resolve, DETECT_RETRY_MS).unref());
      }
    }
  }


  readonly #onError = (err: Error): void => {
    // An 'error' event nobody listens to would throw; the connections retry on their own anyway.
    if (this.listenerCount('error') > 0) this.emit('error', err);
  };

  readonly #onReady = (): void => {
    // ioredis subscribes again to what it had subscribed; a subscription that failed while Redis was
    // away (it gave up on the command) is made here. Subscribing twice is harmless.
    const channels = this.#closed ? [] : [...this.#handlers.keys()];
    void this.#mode
      .then((sharded) => Promise.all(channels.map((channel) => (sharded ? this.#sub.ssubscribe(channel) : this.#sub.subscribe(channel)))))
      .catch(this.#onError)
      .finally(this.#releaseWaiters);
    this.emit('ready');
  };

  /** Subscribed again, or never again (ioredis gave up, or closed): whoever waits goes on. */
  readonly #releaseWaiters = (): void => {
    const mark = this.#markSubscribed;
    this.#markSubscribed = undefined;
    mark?.();
  };

  readonly #onClose = (): void => {
    if (this.#closed || this.#markSubscribed !== undefined) return;
    this.#subscribed = new Promise((resolve) => (this.#markSubscribed = resolve));
  };
}

function noop(): void {}
