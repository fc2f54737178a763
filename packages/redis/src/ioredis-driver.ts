import type { RedisDriver, RedisSubscriber, SubscriberListener, SubscriptionKind } from './redis-driver.js';

type AnyFunction = (...args: never[]) => unknown;

/** An ioredis `Redis` or `Cluster` (ioredis 5 or 6), as far as it is told apart from other clients. */
export interface IoRedisLike {
  readonly status: string;
  readonly isCluster: boolean;
  psubscribe: AnyFunction;
  duplicate: AnyFunction;
}

/** The part of ioredis this package calls. */
interface IoRedis {
  readonly status: string;
  readonly isCluster: boolean;
  call(command: string, ...args: (string | Buffer)[]): Promise<unknown>;
  publish(channel: string, message: Buffer): Promise<number>;
  spublish(channel: string, message: Buffer): Promise<number>;
  subscribe(channel: string): Promise<unknown>;
  ssubscribe(channel: string): Promise<unknown>;
  psubscribe(pattern: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  sunsubscribe(channel: string): Promise<unknown>;
  punsubscribe(pattern: string): Promise<unknown>;
  duplicate(): IoRedis;
  disconnect(): void;
  /** A Cluster's nodes. */
  nodes?(): IoRedis[];
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

export function isIoRedis(client: unknown): client is IoRedisLike {
  const c = client as Partial<IoRedis> | null;
  return typeof c === 'object' && c !== null && typeof c.psubscribe === 'function' && typeof c.call === 'function' && typeof c.status === 'string';
}

const SUBSCRIBE = { classic: 'subscribe', sharded: 'ssubscribe', pattern: 'psubscribe' } as const;
const UNSUBSCRIBE = { classic: 'unsubscribe', sharded: 'sunsubscribe', pattern: 'punsubscribe' } as const;

export function ioredisDriver(like: IoRedisLike): RedisDriver {
  const client = like as unknown as IoRedis;
  return {
    isCluster: client.isCluster,
    ready: () => client.status === 'ready',
    command: ([command, ...args]) => client.call(command!, ...args),
    publish: (channel, message, sharded) => (sharded ? client.spublish(channel, message) : client.publish(channel, message)).then(Number),
    async numsub(channel) {
      // Classic subscriptions are counted by the node they were made on: a Cluster asks every node.
      const nodes = client.isCluster && client.nodes !== undefined ? client.nodes() : [client];
      const counts = await Promise.all(nodes.map((node) => node.call('PUBSUB', 'NUMSUB', channel) as Promise<[string, number]>));
      return counts.reduce((sum, [, count]) => sum + Number(count), 0);
    },
    onError(listener) {
      client.on('error', listener);
      return () => client.off('error', listener);
    },
    subscriber(subClient, listener) {
      return new IoRedisSubscriber(client, subClient as unknown as IoRedis | undefined, listener);
    },
  };
}

/**
 * ioredis subscribes again to what it had subscribed after a reconnection; a subscription that failed
 * while Redis was away (it gave up on the command) is made again by the owner on `ready`.
 */
class IoRedisSubscriber implements RedisSubscriber {
  readonly #sub: IoRedis;
  readonly #owned: boolean;
  readonly #listener: SubscriberListener;

  constructor(client: IoRedis, subClient: IoRedis | undefined, listener: SubscriberListener) {
    this.#owned = subClient === undefined;
    // ioredis 6 types Redis' and Cluster's duplicate() differently; both give a client of the same kind.
    this.#sub = subClient ?? client.duplicate();
    this.#listener = listener;
    this.#sub.on('messageBuffer', this.#onMessage);
    this.#sub.on('smessageBuffer', this.#onMessage);
    this.#sub.on('pmessageBuffer', this.#onPatternMessage);
    this.#sub.on('error', listener.error);
    this.#sub.on('ready', this.#onReady);
    this.#sub.on('close', listener.down);
    this.#sub.on('end', listener.end);
  }

  async subscribe(kind: SubscriptionKind, channel: string): Promise<void> {
    await this.#sub[SUBSCRIBE[kind]](channel);
  }

  async unsubscribe(kind: SubscriptionKind, channel: string): Promise<void> {
    await this.#sub[UNSUBSCRIBE[kind]](channel);
  }

  close(): void {
    this.#sub.off('messageBuffer', this.#onMessage);
    this.#sub.off('smessageBuffer', this.#onMessage);
    this.#sub.off('pmessageBuffer', this.#onPatternMessage);
    this.#sub.off('error', this.#listener.error);
    this.#sub.off('ready', this.#onReady);
    this.#sub.off('close', this.#listener.down);
    this.#sub.off('end', this.#listener.end);
    if (this.#owned) this.#sub.disconnect();
  }

  readonly #onMessage = (channel: Buffer, message: Buffer): void => this.#listener.message(channel.toString(), message);
  readonly #onPatternMessage = (pattern: Buffer, channel: Buffer, message: Buffer): void =>
    this.#listener.message(channel.toString(), message, pattern.toString());
  readonly #onReady = (): void => this.#listener.ready(true);
}
