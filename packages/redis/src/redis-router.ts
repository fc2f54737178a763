import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NodeHttpHandler, SessionRouter } from '@switchyard/core';
import { InOrderDelivery } from './in-order-delivery.js';
import { endToEndHeaders, type ForwardMessage, rawRequestHead, REFUSED_UPGRADE, type RequestMessage, UNKNOWN_SID } from './forward-messages.js';
import { Loopback } from './loopback.js';
import { OutboundQueue } from './outbound-queue.js';
import { OwnerProbe } from './owner-probe.js';
import { decodeForwardMessage, encodeMessage } from './socket-io-wire.js';
import type { RedisPubSub } from './redis-pubsub.js';

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
 * request is replayed there against the Server through an in-memory http connection and its answer
 * streamed back; a websocket upgrade becomes a tunnel that carries the raw connection both ways.
 */
export class RedisRouter implements SessionRouter {
  /** This node's tag, the start of every session id it opens. */
  readonly tag = randomBytes(6).toString('base64url');
  readonly #options: RedisRouterOptions;
  readonly #channel: string;
  /** Requests this node forwarded, waiting for the owner's answer. */
  readonly #waiting = new Map<string, { target: string; request: RequestMessage; res: ServerResponse; timer: NodeJS.Timeout }>();
  /** Forwarded requests this node is answering. */
  readonly #serving = new Map<string, { destroy(): void }>();
  /** Websocket tunnels, on either side. */
  readonly #tunnels = new Map<string, { target: string; socket: Duplex }>();
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
    this.#inOrder = new InOrderDelivery({
      publish: (target, message) => options.pubsub.publish(this.#channelOf(target), encodeMessage(message)),
      countsReceivers: () => options.pubsub.countsReceivers,
      giveUpAfter: options.forwardTimeout,
      retryMs: RETRY_MS,
      onGiveUp: (id) => {
        this.#serving.get(id)?.destroy();
        this.#serving.delete(id);
        this.#tunnels.get(id)?.socket.destroy();
      },
      onError: options.onError,
    });
    this.#probe = new OwnerProbe({
      targets: () => new Set([...this.#tunnels.values(), ...this.#waiting.values()].map(({ target }) => target)),
      probe: (target) => options.pubsub.publish(this.#channelOf(target), encodeMessage({ t: 'probe', id: '' })),
      countsReceivers: () => options.pubsub.countsReceivers,
      onGone: (target) => {
        for (const [id, tunnel] of this.#tunnels) {
          if (tunnel.target !== target) continue;
          this.#inOrder.forget(id);
          tunnel.socket.destroy();
          this.#inOrder.forget(id); // and the end its closing queued
        }
        // A held poll on a dead owner is refused now, not after forwardTimeout: its client handshakes again.
        for (const [id, waiting] of this.#waiting) if (waiting.target === target) this.#giveUp(id);
      },
    });
  }

  bind(local: NodeHttpHandler): void {
    if (this.#loopback !== undefined) throw new TypeError('a RedisCluster serves one Server: create one per Server');
    this.#loopback = new Loopback(local);
    this.#subscribed = this.#options.pubsub.subscribe(this.#channel, this.#onMessage).catch(this.#options.onError);
  }

  /**
   * What the router did since it started: requests (polls and upgrades) it forwarded to their owner, those
   * it served for another node, and the websocket tunnels open now, on either side.
   */
  get counts(): { forwarded: number; served: number; tunnels: number } {
    return { forwarded: this.#forwarded, served: this.#served, tunnels: this.#tunnels.size };
  }

  /** Resolves once other nodes can reach this one (after the Server bound it). */
  get subscribed(): Promise<void> {
    return this.#subscribed ?? Promise.resolve();
  }

  markId(id: string): string {
    return this.tag + MARK + id;
  }

  routeRequest(req: IncomingMessage, res: ServerResponse, sid: string): boolean {
    const owner = this.#ownerOf(sid);
    // What came through the loopback is answered here: forwarded to this node, or refused (see #giveUp).
    if (owner === undefined || Loopback.carried(req)) return false;
    const id = randomBytes(9).toString('base64url');
    this.#forwarded++;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.#options.maxBodySize) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > this.#options.maxBodySize) {
        res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end('Payload Too Large');
        return;
      }
      if (res.destroyed) return; // the client went away while sending its body
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks, size);
      const message: RequestMessage = { t: 'request', id, from: this.tag, method: req.method ?? 'GET', url: req.url ?? '/', headers: endToEndHeaders(req.rawHeaders), body };
      const timer = setTimeout(() => this.#giveUp(id), this.#options.forwardTimeout);
      this.#waiting.set(id, { target: owner, request: message, res, timer });
      this.#probe.watch();
      res.once('close', () => {
        if (this.#waiting.has(id)) {
          this.#giveUp(id);
          this.#send(owner, { t: 'abort', id });
        }
      });
      this.#publish(owner, message, () => this.#giveUp(id));
    });
    return true;
  }

  routeUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, sid: string): boolean {
    const owner = this.#ownerOf(sid);
    if (owner === undefined || Loopback.carried(req)) return false;
    const id = randomBytes(9).toString('base64url');
    this.#forwarded++;
    socket.on('error', noop);
    this.#addTunnel(id, owner, socket);
    const tunnelHead = Buffer.concat([rawRequestHead(req), head]);
    const unpipe = this.#pipeTunnel(id, owner, socket);
    this.#publish(owner, { t: 'tunnel', id, from: this.tag, head: tunnelHead }, () => {
      // The owner is gone: the local Server refuses the upgrade in the client's own words (Engine.IO's
      // `400 Session ID unknown`; 0.9 upgrades and says `7:::1+0`), as it does for polling (#giveUp).
      this.#tunnels.delete(id);
      unpipe();
      if (!this.#closed && this.#loopback !== undefined) return this.#loopback.carry(socket, tunnelHead);
      socket.end(REFUSED_UPGRADE);
      socket.once('finish', () => socket.destroy());
    });
    return true;
  }

  /** Answers every waiting request, ends every tunnel and stops listening. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of [...this.#waiting.keys()]) this.#giveUp(id);
    for (const serving of this.#serving.values()) serving.destroy();
    this.#serving.clear();
    for (const { socket } of this.#tunnels.values()) socket.destroy();
    this.#tunnels.clear();
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
        this.#serve(message);
        return;
      case 'response':
        this.#answer(message);
        return;
      case 'abort':
        this.#serving.get(message.id)?.destroy();
        this.#serving.delete(message.id);
        return;
      case 'tunnel':
        this.#openTunnel(message);
        return;
      case 'probe':
        return;
      case 'data': {
        const tunnel = this.#tunnels.get(message.id);
        if (tunnel === undefined) return;
        for (const chunk of message.chunks) tunnel.socket.write(chunk);
        if (message.end) {
          this.#tunnels.delete(message.id);
          tunnel.socket.end();
        }
        return;
      }
    }
  };

  /** Owner side: replays a forwarded request against the local Server and sends its answer back. */
  #serve(message: RequestMessage): void {
    const loopback = this.#loopback;
    if (loopback === undefined) return;
    const { id, from } = message;
    this.#served++;
    const req = loopback.request(message);
    this.#serving.set(id, req);
    req.on('response', (incoming: IncomingMessage) => {
      this.#outbound.add(id, from, 'response', { status: incoming.statusCode ?? 502, headers: endToEndHeaders(incoming.rawHeaders) });
      incoming.on('data', (chunk: Buffer) => this.#outbound.add(id, from, 'response', { chunk }));
      incoming.on('end', () => {
        this.#serving.delete(id);
        this.#outbound.add(id, from, 'response', { end: true });
      });
    });
    req.on('error', () => {
      if (this.#serving.delete(id)) this.#outbound.add(id, from, 'response', { status: 502, headers: [], end: true });
    });
  }

  /** Requester side: writes the owner's answer to the client that is waiting for it. */
  #answer(message: Extract<ForwardMessage, { t: 'response' }>): void {
    const waiting = this.#waiting.get(message.id);
    if (waiting === undefined) return;
    // forwardTimeout bounds the owner's silence: a 0.9 htmlfile or xhr-multipart stream lasts for good.
    waiting.timer.refresh();
    const { res } = waiting;
    if (message.status !== undefined && !res.headersSent) res.writeHead(message.status, message.headers ?? []);
    for (const chunk of message.chunks) res.write(chunk);
    if (message.end) {
      clearTimeout(waiting.timer);
      this.#waiting.delete(message.id);
      res.end();
    }
  }

  /**
   * The client waited too long, went away, or the owner is gone: it learns the session is unknown. The
   * local Server says so, in the client generation's own words (Engine.IO's `Session ID unknown`, 0.9's
   * `7:::1+0`, as JSONP where the client polls that way), so the client handshakes again.
   */
  #giveUp(id: string): void {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return;
    this.#waiting.delete(id);
    clearTimeout(waiting.timer);
    const { res } = waiting;
    if (res.headersSent) return void res.end();
    if (res.destroyed) return;
    if (this.#closed || this.#loopback === undefined) {
      res.writeHead(400, { 'Content-Type': 'application/json', 'Content-Length': UNKNOWN_SID.length }).end(UNKNOWN_SID);
      return;
    }
    const refusal = this.#loopback.request(waiting.request);
    refusal.on('response', (incoming: IncomingMessage) => {
      res.writeHead(incoming.statusCode ?? 400, endToEndHeaders(incoming.rawHeaders));
      incoming.pipe(res);
    });
    refusal.on('error', () => res.destroy());
    res.once('close', () => refusal.destroy());
  }

  /** Owner side: a websocket upgrade that came to another node, answered here over a raw tunnel. */
  #openTunnel(message: Extract<ForwardMessage, { t: 'tunnel' }>): void {
    if (this.#loopback === undefined) return;
    this.#served++;
    const socket = this.#loopback.connect();
    socket.on('error', noop);
    this.#addTunnel(message.id, message.from, socket);
    this.#pipeTunnel(message.id, message.from, socket);
    socket.write(message.head);
  }

  #addTunnel(id: string, target: string, socket: Duplex): void {
    this.#tunnels.set(id, { target, socket });
    this.#probe.watch();
  }

  /** Carries what `socket` reads to the other end of tunnel `id`, and its end; returns what stops that. */
  #pipeTunnel(id: string, target: string, socket: Duplex): () => void {
    const onData = (chunk: Buffer): void => this.#outbound.add(id, target, 'data', { chunk });
    const onGone = (): void => {
      if (this.#tunnels.delete(id)) this.#outbound.add(id, target, 'data', { end: true });
      socket.destroy();
    };
    socket.on('data', onData);
    socket.once('end', onGone);
    socket.once('close', onGone);
    return () => {
      socket.off('data', onData);
      socket.off('end', onGone);
      socket.off('close', onGone);
    };
  }

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
        if (this.#waiting.has(message.id) || this.#tunnels.has(message.id)) this.#publishNow(target, message, onNobody, retry);
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

function noop(): void {}
