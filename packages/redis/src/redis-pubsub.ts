import createDebug from 'debug';
import { EventEmitter } from 'node:events';
import { checkSameLibrary, driverFor, type RedisClient } from './redis-client.js';
import { type RedisDriver, type RedisSubscriber, type SubscriptionKind, toError } from './redis-driver.js';

export type { RedisClient } from './redis-client.js';

/** A message on a channel; for a pattern, `channel` is the one it matched. */
export type Handler = (message: Buffer, channel: string) => void;

const DETECT_RETRY_MS = 500;

const log = createDebug('switchyard:redis');

export interface RedisPubSubOptions {
  /** Commands and publishing. */
  client: RedisClient;
  /** Subscriptions; default a duplicate of `client` (closed by `close()`). */
  subClient?: RedisClient;
  /**
   * Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7) for the channels that may use it: `true`, `false`, or
   * `'auto'` (default), which uses it when the server is Redis 7 or newer.
   */
  sharded?: boolean | 'auto';
}

export interface RedisPubSubEvents {
  /** A failure of a Redis connection or command; the connections keep retrying on their own. */
  error: [error: Error];
  /** The subscriber connection is (again) ready, with every subscription in place. */
  ready: [];
  /** The subscriber connection was lost; it reconnects on its own (`ready` follows). */
  down: [];
}

interface Subscription {
  kind: SubscriptionKind;
  handlers: Set<Handler>;
}

/**
 * Channels over Redis pub/sub, binary-safe, on an ioredis or a node-redis client. Several handlers may
 * share a channel; the channel is subscribed while one of them is. A subscription is either classic
 * (what socket.io's own channels use), a pattern, or "preferred": sharded when `sharded` says so.
 */
export class RedisPubSub extends EventEmitter<RedisPubSubEvents> {
  readonly driver: RedisDriver;
  readonly #sub: RedisSubscriber;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #mode: Promise<boolean>;
  readonly #offError: () => void;
  #sharded = false;
  #closed = false;
  #published = 0;
  #received = 0;
  /** Settled while the subscriber connection is up with its subscriptions; pending while it reconnects. */
  #subscribed: Promise<void> = Promise.resolve();
  #markSubscribed: (() => void) | undefined;

  constructor(options: RedisPubSubOptions) {
    super();
    this.driver = driverFor(options.client);
    checkSameLibrary(options.client, options.subClient);
    this.#sub = this.driver.subscriber(options.subClient, {
      message: this.#deliver,
      ready: this.#onReady,
      down: this.#onDown,
      end: this.#releaseWaiters,
      error: this.#onError,
    });
    this.#offError = this.driver.onError(this.#onError);
    this.#mode = this.#detectSharded(options.sharded ?? 'auto').then((sharded) => (this.#sharded = sharded));
  }

  /** Messages published, and messages received on this node's subscriptions, since it started. */
  get counts(): { published: number; received: number } {
    return { published: this.#published, received: this.#received };
  }

  /** Whether sharded pub/sub is in use for the preferred channels (known once Redis answered). */
  get sharded(): boolean {
    return this.#sharded;
  }

  /** Resolves once `channel` is subscribed: `preferred` (sharded when in use), `classic` or `pattern`. */
  async subscribe(channel: string, handler: Handler, kind: SubscriptionKind | 'preferred' = 'preferred'): Promise<void> {
    let subscription = this.#subscriptions.get(channel);
    if (subscription === undefined) {
      const resolved = kind === 'preferred' ? ((await this.#mode) ? 'sharded' : 'classic') : kind;
      // Another handler may have subscribed meanwhile.
      subscription = this.#subscriptions.get(channel);
      if (subscription === undefined) this.#subscriptions.set(channel, (subscription = { kind: resolved, handlers: new Set() }));
    }
    subscription.handlers.add(handler);
    if (subscription.handlers.size > 1 || this.#closed) return;
    log('subscribe %s (%s)', channel, subscription.kind);
    await this.#sub.subscribe(subscription.kind, channel);
  }

  /**
   * How many connections listen on a classic channel, counting each handler of this process as one: the
   * nodes of a namespace, when several Servers of this process share this connection.
   */
  async channelListeners(channel: string): Promise<number> {
    const here = this.#subscriptions.get(channel)?.handlers.size ?? 0;
    const connections = await this.driver.numsub(channel);
    return here === 0 ? connections : connections - 1 + here;
  }

  unsubscribe(channel: string, handler: Handler): void {
    const subscription = this.#subscriptions.get(channel);
    if (subscription === undefined || !subscription.handlers.delete(handler) || subscription.handlers.size > 0) return;
    this.#subscriptions.delete(channel);
    if (!this.#closed) this.#sub.unsubscribe(subscription.kind, channel).catch(this.#onError);
  }

  /**
   * Whether `publish` counts every subscriber: always with sharded pub/sub and on a single server; a
   * Redis Cluster counts only the subscribers of the node that took a classic PUBLISH.
   */
  get countsReceivers(): boolean {
    return this.#sharded || !this.driver.isCluster;
  }

  /**
   * Resolves once the subscriber connection is up with every subscription in place: at once, unless it
   * is reconnecting. A message whose answer comes back on a subscription waits for this, or the answer
   * could be published before the subscription is back and be lost.
   */
  whenSubscribed(): Promise<void> {
    return this.#subscribed;
  }

  /** Publishes on a preferred channel; resolves with how many subscribers got it (see `countsReceivers`). */
  async publish(channel: string, message: Buffer): Promise<number> {
    this.#published++;
    return this.driver.publish(channel, message, await this.#mode);
  }

  /** Publishes on a classic channel (PUBLISH), as socket.io's adapter and emitter do. */
  publishClassic(channel: string, message: Buffer): Promise<number> {
    this.#published++;
    return this.driver.publish(channel, message, false);
  }

  /** Stops every subscription; a subscriber connection made here is closed, a given one is not. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const subscriptions = [...this.#subscriptions];
    this.#subscriptions.clear();
    this.#offError();
    this.#releaseWaiters();
    // One channel per command: on a Redis Cluster the channels live in different slots.
    await Promise.all(subscriptions.map(([channel, { kind }]) => this.#sub.unsubscribe(kind, channel))).catch(noop);
    this.#sub.close();
  }

  readonly #deliver = (channel: string, message: Buffer, pattern?: string): void => {
    const handlers = this.#subscriptions.get(pattern ?? channel)?.handlers;
    if (handlers === undefined) return;
    this.#received++;
    for (const handler of handlers) {
      try {
        handler(message, channel);
      } catch (err) {
        this.#onError(toError(err));
      }
    }
  }

  /**
   * Every node must make the same choice, so a failed check is tried again (every DETECT_RETRY_MS)
   * rather than guessed: until Redis answers, preferred subscriptions and publishes wait.
   */
  async #detectSharded(choice: boolean | 'auto'): Promise<boolean> {
    if (choice !== 'auto') return choice;
    for (;;) {
      try {
        const info = String(await this.driver.command(['INFO', 'server']));
        return Number(/redis_version:(\d+)/.exec(info)?.[1]) >= 7;
      } catch (err) {
        this.#onError(toError(err));
        if (this.#closed) return false;
        await new Promise((resolve) => setTimeout(resolve, DETECT_RETRY_MS).unref());
      }
    }
  }

  readonly #onError = (err: Error): void => {
    // An 'error' event nobody listens to would throw; the connections retry on their own anyway.
    if (this.listenerCount('error') > 0) this.emit('error', err);
  };

  readonly #onReady = (resubscribe: boolean): void => {
    if (this.#closed) return;
    log('subscriber ready%s', resubscribe ? ', subscribing again' : '');
    // ioredis subscribes again to what it had subscribed; a subscription that failed while Redis was
    // away (it gave up on the command) is made here. Subscribing twice is harmless.
    const subscriptions = resubscribe ? [...this.#subscriptions] : [];
    void Promise.all(subscriptions.map(([channel, { kind }]) => this.#sub.subscribe(kind, channel)))
      .catch(this.#onError)
      .finally(this.#releaseWaiters);
    this.emit('ready');
  };

  /** Subscribed again, or never again (the client gave up, or closed): whoever waits goes on. */
  readonly #releaseWaiters = (): void => {
    const mark = this.#markSubscribed;
    this.#markSubscribed = undefined;
    mark?.();
  };

  readonly #onDown = (): void => {
    if (this.#closed || this.#markSubscribed !== undefined) return;
    log('subscriber connection lost');
    this.#subscribed = new Promise((resolve) => (this.#markSubscribed = resolve));
    this.emit('down');
  };
}

function noop(): void {}
