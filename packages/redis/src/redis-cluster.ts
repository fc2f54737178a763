import { EventEmitter } from 'node:events';
import type { AdapterConstructor } from '@switchyard/core';
import { createRedisAdapter } from './redis-adapter.js';
import type { RedisClient } from './redis-client.js';
import { RedisPubSub } from './redis-pubsub.js';
import { RedisRouter } from './redis-router.js';

export interface RedisClusterOptions {
  /**
   * An ioredis client (`new Redis(url)` or `new Cluster(nodes)`, ioredis 5 or 6) or a connected node-redis
   * client (`await createClient({ url }).connect()`, redis 4 or 5).
   */
  client: RedisClient;
  /** The connection for subscriptions, of the same library; default a duplicate of `client`. */
  subClient?: RedisClient;
  /**
   * Prefix of every channel and key, socket.io's `key`: processes with the same key form one server.
   * Default `socket.io`, as `@socket.io/redis-adapter` and `@socket.io/redis-emitter`.
   */
  key?: string;
  /** Sharded pub/sub (SSUBSCRIBE/SPUBLISH) for Switchyard's own channels: `'auto'` (default) uses it on Redis 7 and newer. */
  sharded?: boolean | 'auto';
  /** Milliseconds to wait for the other nodes' answers (fetchSockets, serverSideEmitWithAck). Default 5000. */
  requestTimeout?: number;
  /** Longest silence of another node answering a forwarded request (a held poll, a 0.9 stream). Default 60000 ms. */
  forwardTimeout?: number;
  /** Largest polling body forwarded to another node. Default 1e6 bytes. */
  maxForwardedBody?: number;
}

export interface RedisClusterEvents {
  /** A Redis failure: a lost connection (retried on its own), a failed publish. Nothing crashes. */
  error: [error: Error];
  /** The subscriptions are in place again after a reconnection. */
  ready: [];
}

/**
 * Several processes as one Socket.IO server, through Redis:
 *
 * ```js
 * const cluster = new RedisCluster({ client: new Redis(process.env.REDIS_URL) });
 * const io = new Server(httpServer, { adapter: cluster.adapter, router: cluster.router });
 * ```
 *
 * `adapter` carries rooms, broadcasts, acks, fetchSockets, serverSideEmit and state recovery between
 * the nodes; `router` forwards requests for sessions owned by another node, so the load balancer in
 * front needs no sticky sessions. One RedisCluster per Server.
 */
export class RedisCluster extends EventEmitter<RedisClusterEvents> {
  readonly adapter: AdapterConstructor;
  readonly router: RedisRouter;
  readonly #pubsub: RedisPubSub;

  constructor(options: RedisClusterOptions) {
    super();
    const key = options.key ?? 'socket.io';
    this.#pubsub = new RedisPubSub({
      client: options.client,
      ...(options.subClient !== undefined && { subClient: options.subClient }),
      ...(options.sharded !== undefined && { sharded: options.sharded }),
    });
    const onError = (err: Error): void => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    };
    this.#pubsub.on('error', onError);
    this.#pubsub.on('ready', () => this.emit('ready'));
    this.adapter = createRedisAdapter({ pubsub: this.#pubsub, key, requestTimeout: options.requestTimeout ?? 5000, onError });
    this.router = new RedisRouter({
      pubsub: this.#pubsub,
      key,
      forwardTimeout: options.forwardTimeout ?? 60_000,
      maxBodySize: options.maxForwardedBody ?? 1e6,
      onError,
    });
  }

  /**
   * Resolves once the Server given this cluster's router can be reached by the other nodes: await it
   * before taking traffic (a request forwarded to a node that is not yet listening is retried once,
   * then refused as an unknown session).
   */
  ready(): Promise<void> {
    return this.router.subscribed;
  }

  /** Whether sharded pub/sub is in use for Switchyard's own channels (the socket.io ones are classic). */
  get sharded(): boolean {
    return this.#pubsub.sharded;
  }

  /**
   * Stops forwarding and listening. Close the Server first (`await io.close()`); the clients handed in
   * stay open.
   */
  async close(): Promise<void> {
    await this.router.close();
    await this.#pubsub.close();
  }
}
