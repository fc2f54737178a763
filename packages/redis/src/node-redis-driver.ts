import type { RedisDriver, RedisSubscriber, SubscriberListener, SubscriptionKind } from './redis-driver.js';

type AnyFunction = (...args: never[]) => unknown;

/** A node-redis client (`createClient()` of `redis` 4 or 5), as far as it is told apart from other clients. */
export interface NodeRedisLike {
  readonly isReady: boolean;
  pSubscribe: AnyFunction;
  sendCommand: AnyFunction;
}

type Listener = (message: Buffer, channel: Buffer) => void;

/** The part of node-redis this package calls (the same in redis 4 and 5). */
interface NodeRedis {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  publish(channel: string, message: Buffer): Promise<number>;
  sPublish(channel: string, message: Buffer): Promise<number>;
  subscribe(channel: string, listener: Listener, bufferMode: true): Promise<void>;
  sSubscribe(channel: string, listener: Listener, bufferMode: true): Promise<void>;
  pSubscribe(pattern: string, listener: Listener, bufferMode: true): Promise<void>;
  unsubscribe(channel: string, listener: Listener, bufferMode: true): Promise<void>;
  sUnsubscribe(channel: string, listener: Listener, bufferMode: true): Promise<void>;
  pUnsubscribe(pattern: string, listener: Listener, bufferMode: true): Promise<void>;
  duplicate(): NodeRedis;
  connect(): Promise<unknown>;
  /** redis 5 */
  destroy?(): void;
  /** redis 4 */
  disconnect?(): Promise<void>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

export function isNodeRedis(client: unknown): client is NodeRedisLike {
  const c = client as Partial<NodeRedis> | null;
  return typeof c === 'object' && c !== null && typeof c.pSubscribe === 'function' && typeof c.sendCommand === 'function';
}

const SUBSCRIBE = { classic: 'subscribe', sharded: 'sSubscribe', pattern: 'pSubscribe' } as const;
const UNSUBSCRIBE = { classic: 'unsubscribe', sharded: 'sUnsubscribe', pattern: 'pUnsubscribe' } as const;

export function nodeRedisDriver(like: NodeRedisLike): RedisDriver {
  const client = like as unknown as NodeRedis;
  return {
    isCluster: false,
    ready: () => client.isReady,
    command: (args) => client.sendCommand(args),
    publish: (channel, message, sharded) => (sharded ? client.sPublish(channel, message) : client.publish(channel, message)).then(Number),
    async numsub(channel) {
      const [, count] = (await client.sendCommand(['PUBSUB', 'NUMSUB', channel])) as [string, number];
      return Number(count);
    },
    onError(listener) {
      client.on('error', listener);
      return () => client.off('error', listener);
    },
    subscriber(subClient, listener) {
      return new NodeRedisSubscriber(client, subClient as unknown as NodeRedis | undefined, listener);
    },
  };
}

/** node-redis subscribes again on its own after a reconnection. A duplicate it makes is connected here. */
class NodeRedisSubscriber implements RedisSubscriber {
  readonly #sub: NodeRedis;
  readonly #owned: boolean;
  readonly #listener: SubscriberListener;
  readonly #connected: Promise<unknown>;
  readonly #patternListeners = new Map<string, Listener>();

  constructor(client: NodeRedis, subClient: NodeRedis | undefined, listener: SubscriberListener) {
    this.#owned = subClient === undefined;
    this.#sub = subClient ?? client.duplicate();
    this.#listener = listener;
    this.#sub.on('error', listener.error);
    this.#sub.on('ready', this.#onReady);
    this.#sub.on('reconnecting', listener.down);
    this.#sub.on('end', listener.end);
    this.#connected = this.#sub.isOpen ? Promise.resolve() : this.#sub.connect();
  }

  async subscribe(kind: SubscriptionKind, channel: string): Promise<void> {
    await this.#connected;
    await this.#sub[SUBSCRIBE[kind]](channel, this.#listenerFor(kind, channel), true);
  }

  async unsubscribe(kind: SubscriptionKind, channel: string): Promise<void> {
    await this.#connected;
    await this.#sub[UNSUBSCRIBE[kind]](channel, this.#listenerFor(kind, channel), true);
    this.#patternListeners.delete(channel);
  }

  /** A pattern's messages say which pattern they came through; node-redis tells it by the listener. */
  #listenerFor(kind: SubscriptionKind, channel: string): Listener {
    if (kind !== 'pattern') return this.#onMessage;
    let listener = this.#patternListeners.get(channel);
    if (listener === undefined) {
      listener = (message, matched) => this.#listener.message(matched.toString(), message, channel);
      this.#patternListeners.set(channel, listener);
    }
    return listener;
  }

  close(): void {
    this.#sub.off('error', this.#listener.error);
    this.#sub.off('ready', this.#onReady);
    this.#sub.off('reconnecting', this.#listener.down);
    this.#sub.off('end', this.#listener.end);
    if (!this.#owned) return;
    // An error while closing has nobody to tell: keep a listener so it is not thrown.
    this.#sub.on('error', noop);
    void this.#connected.then(() => (this.#sub.destroy !== undefined ? this.#sub.destroy() : this.#sub.disconnect?.())).catch(noop);
  }

  readonly #onMessage = (message: Buffer, channel: Buffer): void => this.#listener.message(channel.toString(), message);
  readonly #onReady = (): void => this.#listener.ready(false);
}

function noop(): void {}
