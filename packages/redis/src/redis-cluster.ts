import createDebug from 'debug';
import { EventEmitter } from 'node:events';
import { type AdapterConstructor, consoleLogger, type Logger } from '@switchyard/core';
import { createRedisAdapter } from './redis-adapter.js';
import type { RedisClient } from './redis-client.js';
import { RedisPubSub } from './redis-pubsub.js';
import { RedisRouter } from './redis-router.js';

const log = createDebug('switchyard:redis');

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
  /** Milliseconds to wait for the other nodes' answers (fetchSockets, serverSideEmitWithAck, inspectCluster). Default 5000. */
  requestTimeout?: number;
  /** Longest silence of another node answering a forwarded request (a held poll, a 0.9 stream). Default 60000 ms. */
  forwardTimeout?: number;
  /** Largest polling body forwarded to another node. Default 1e6 bytes. */
  maxForwardedBody?: number;
}

/** See {@link RedisCluster.stats}. */
export interface RedisClusterStats {
  /** Messages published to Redis (broadcasts, requests between nodes, forwarded traffic). */
  published: number;
  /** Messages received on this node's subscriptions. */
  received: number;
  /** Polling requests and websocket upgrades this node forwarded to the node owning their session. */
  forwarded: number;
  /** Forwarded requests and upgrades this node served for another node. */
  served: number;
  /** Websocket tunnels open now, on either side. */
  tunnels: number;
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
  /** The Server's logger, learnt from the first namespace an adapter of this cluster serves. */
  #logger: Logger = consoleLogger;
  #down = false;

  constructor(options: RedisClusterOptions) {
    super();
    const key = options.key ?? 'socket.io';
    this.#pubsub = new RedisPubSub({
      client: options.client,
      ...(options.subClient !== undefined && { subClient: options.subClient }),
      ...(options.sharded !== undefined && { sharded: options.sharded }),
    });
    // A failed publish or command, a lost connection: the debug namespace tells each one (while Redis is
    // away there is one per command and retry), the logger only that Redis went away and came back.
    const onError = (err: Error): void => {
      log('error: %s', err.message);
      if (this.listenerCount('error') > 0) this.emit('error', err);
    };
    this.#pubsub.on('error', onError);
    this.#pubsub.on('down', () => {
      this.#down = true;
      this.#logger.warn({ key }, 'lost the connection to Redis: reconnecting');
    });
    this.#pubsub.on('ready', () => {
      if (this.#down) this.#logger.info({ key }, 'reconnected to Redis');
      this.#down = false;
      this.emit('ready');
    });
    const useLogger = (logger: Logger): void => {
      this.#logger = logger;
    };
    this.adapter = createRedisAdapter({ pubsub: this.#pubsub, key, requestTimeout: options.requestTimeout ?? 5000, onError, useLogger });
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

  /**
   * What this node did through Redis since it started, read when asked (`@switchyard/metrics` reads it at
   * each scrape): messages published and received, requests and upgrades forwarded to the node owning
   * their session, those served for another node, and the websocket tunnels open now.
   */
  get stats(): RedisClusterStats {
    return { ...this.#pubsub.counts, ...this.router.counts };
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
