import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NodeHttpHandler, SessionRouter } from '@switchyard/core';
import { ForwardedRequests } from './forwarded-requests.js';
import type { ForwardMessage } from './forward-messages.js';
import { InOrderDelivery } from './in-order-delivery.js';
import { Loopback } from './loopback.js';
import { OutboundQueue } from './outbound-queue.js';
import { OwnerProbe } from './owner-probe.js';
import type { RedisPubSub } from './redis-pubsub.js';
import { noop, type RouterLink } from './router-link.js';
import { decodeForwardMessage, encodeMessage } from './socket-io-wire.js';
import { WebSocketTunnels } from './websocket-tunnels.js';

export interface RedisRouterOptions {
  pubsub: RedisPubSub;
  key: string;
  /** Longest silence of the owner on a forwarded request (a held poll lasts up to pingInterval; a 0.9 stream for good). */
  forwardTimeout: number;
  /** Largest forwarded request body. */
  maxBodySize: number;
  onError: (err: Error) => void;
}

/** The first character a tag never has, between a node's tag and the rest of a session id. */
const MARK = '.';

/** How long a request for a node nobody hears waits before its one retry. */
const RETRY_MS = 250;

/**
 * No sticky sessions: every session id starts with the tag of the node that owns it, and a request
 * that lands on another node is carried to the owner over Redis (one channel per node). A polling
 * request is replayed there against the Server (ForwardedRequests); a websocket upgrade becomes a
 * tunnel that carries the raw connection both ways (WebSocketTunnels). This class owns the channels:
 * what it publishes, in order and sent again while the other node does not hear, and what it receives.
 */
export class RedisRouter implements SessionRouter {
  /** This node's tag, the start of every session id it opens. */
  readonly tag = randomBytes(6).toString('base64url');
  readonly #options: RedisRouterOptions;
  readonly #channel: string;
  readonly #requests: ForwardedRequests;
  readonly #tunnels: WebSocketTunnels;
  /** Answers and tunnel data, one publish per request per turn of the event loop. */
  readonly #outbound = new OutboundQueue((target, message) => this.#send(target, message));
  /** Answers and tunnel data, in order, sent again while the other node is not listening. */
  readonly #inOrder: InOrderDelivery;
  #loopback: Loopback | undefined;
  /** Requests and upgrades carried to their owner, and those this node served for another. */
  #forwarded = 0;
  #served = 0;
  #subscribed: Promise<void> | undefined;
  #closed = false;
  /** Ends the tunnels and forwarded requests whose other end died; runs while there are some. */
  readonly #probe: OwnerProbe;

  constructor(options: RedisRouterOptions) {
    this.#options = options;
    this.#channel = this.#channelOf(this.tag);
    const link: RouterLink = {
      tag: this.tag,
      loopback: () => this.#loopback,
      closed: () => this.#closed,
      outbound: this.#outbound,
      watch: () => this.#probe.watch(),
      publish: (target, message, onNobody) => this.#publish(target, message, onNobody),
      send: (target, message) => this.#send(target, message),
    };
    this.#requests = new ForwardedRequests(link, options);
    this.#tunnels = new WebSocketTunnels(link);
    this.#inOrder = new InOrderDelivery({
      publish: (target, message) => options.pubsub.publish(this.#channelOf(target), encodeMessage(message)),
      countsReceivers: () => options.pubsub.countsReceivers,
      giveUpAfter: options.forwardTimeout,
      retryMs: RETRY_MS,
      onGiveUp: (id) => {
        this.#requests.abort(id);
        this.#tunnels.destroy(id);
      },
      onError: options.onError,
    });
    this.#probe = new OwnerProbe({
      targets: () => new Set([...this.#tunnels.targets(), ...this.#requests.targets()]),
      probe: (target) => options.pubsub.publish(this.#channelOf(target), encodeMessage({ t: 'probe', id: '' })),
      countsReceivers: () => options.pubsub.countsReceivers,
      onGone: (target) => {
        this.#tunnels.endAllTo(target, (id) => this.#inOrder.forget(id));
        this.#requests.giveUpOn(target);
      },
    });
  }

  bind(local: NodeHttpHandler): void {
    if (this.#loopback !== undefined) throw new TypeError('a RedisCluster serves one Server: create one per Server');
    this.#loopback = new Loopback(local);
    this.#subscribed = this.#options.pubsub.subscribe(this.#channel, this.#onMessage).catch(this.#options.onError);
  }

  /** Resolves once other nodes can reach this one (after the Server bound it). */
  get subscribed(): Promise<void> {
    return this.#subscribed ?? Promise.resolve();
  }

  markId(id: string): string {
    return this.tag + MARK + id;
  }

  /**
   * What the router did since it started: requests (polls and upgrades) it forwarded to their owner, those
   * it served for another node, and the websocket tunnels open now, on either side.
   */
  get counts(): { forwarded: number; served: number; tunnels: number } {
    return { forwarded: this.#forwarded, served: this.#served, tunnels: this.#tunnels.size };
  }

  routeRequest(req: IncomingMessage, res: ServerResponse, sid: string): boolean {
    const owner = this.#ownerOf(sid);
    // What came through the loopback is answered here: forwarded to this node, or refused (ForwardedRequests.giveUp).
    if (owner === undefined || Loopback.carried(req)) return false;
    this.#forwarded++;
    this.#requests.forward(req, res, owner);
    return true;
  }

  routeUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, sid: string): boolean {
    const owner = this.#ownerOf(sid);
    if (owner === undefined || Loopback.carried(req)) return false;
    this.#forwarded++;
    this.#tunnels.open(req, socket, head, owner);
    return true;
  }

  /** Answers every waiting request, ends every tunnel and stops listening. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#requests.close();
    this.#tunnels.close();
    this.#probe.stop();
    this.#inOrder.close();
    this.#loopback?.close();
    this.#options.pubsub.unsubscribe(this.#channel, this.#onMessage);
  }

  #ownerOf(sid: string): string | undefined {
    const end = sid.indexOf(MARK);
    if (end <= 0 || this.#closed) return undefined;
    const owner = sid.slice(0, end);
    return owner === this.tag ? undefined : owner;
  }

  #channelOf(tag: string): string {
    return `${this.#options.key}-switchyard#node#${tag}#`;
  }

  readonly #onMessage = (payload: Buffer): void => {
    let message: ForwardMessage;
    try {
      message = decodeForwardMessage(payload);
    } catch (err) {
      this.#options.onError(err as Error);
      return;
    }
    switch (message.t) {
      case 'request':
        this.#served++;
        return this.#requests.serve(message);
      case 'response':
        return this.#requests.answer(message);
      case 'abort':
        return this.#requests.abort(message.id);
      case 'tunnel':
        this.#served++;
        return this.#tunnels.accept(message);
      case 'probe':
        return;
      case 'data':
        return this.#tunnels.receive(message);
    }
  };

  #send(target: string, message: ForwardMessage): void {
    // Answers and tunnel data are sent again while nobody hears them (the other node is subscribing
    // again, or Redis is away), so a tunnel outlives a reconnection; when that node is gone for good,
    // the probe ends what goes there within seconds, and forwardTimeout bounds the rest.
    if (message.t === 'response' || message.t === 'data') return this.#inOrder.send(target, message);
    this.#publish(target, message, noop);
  }

  /**
   * Publishes to a node's channel; `onNobody` runs when no node listens there (the owner is gone). A
   * first message nobody heard is sent once more after RETRY_MS: its owner may be subscribing again
   * after a reconnection to Redis.
   */
  #publish(target: string, message: ForwardMessage, onNobody: () => void, retry = message.t === 'request' || message.t === 'tunnel'): void {
    if (message.t === 'request' || message.t === 'tunnel') {
      // Its answer comes back on this node's channel: wait until that is subscribed (after a reconnection
      // to Redis), unless the client stopped waiting meanwhile.
      const { pubsub } = this.#options;
      void pubsub.whenSubscribed().then(() => {
        if (this.#requests.isWaiting(message.id) || this.#tunnels.has(message.id)) this.#publishNow(target, message, onNobody, retry);
      });
      return;
    }
    this.#publishNow(target, message, onNobody, retry);
  }

  #publishNow(target: string, message: ForwardMessage, onNobody: () => void, retry: boolean): void {
    this.#options.pubsub.publish(this.#channelOf(target), encodeMessage(message)).then(
      (receivers) => {
        if (receivers > 0 || !this.#options.pubsub.countsReceivers) return;
        if (!retry || this.#closed) return onNobody();
        setTimeout(() => this.#publishNow(target, message, onNobody, false), RETRY_MS);
      },
      (err: unknown) => {
        this.#options.onError(err as Error);
        onNobody();
      },
    );
  }
}
