import createDebug from 'debug';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ForwardMessage, rawRequestHead, REFUSED_UPGRADE } from './forward-messages.js';
import { noop, type RouterLink } from './router-link.js';

const log = createDebug('switchyard:redis');

/**
 * Websocket upgrades that reached a node other than their session's owner: the raw connection is
 * carried both ways over Redis, between the client's socket on this node and an in-memory connection
 * to the owner's Server.
 */
export class WebSocketTunnels {
  readonly #link: RouterLink;
  /** Tunnels, on either side. */
  readonly #tunnels = new Map<string, { target: string; socket: Duplex }>();

  constructor(link: RouterLink) {
    this.#link = link;
  }

  has(id: string): boolean {
    return this.#tunnels.has(id);
  }

  /** How many tunnels are open now, on either side. */
  get size(): number {
    return this.#tunnels.size;
  }

  /** The nodes at the other end of some tunnel. */
  targets(): string[] {
    return [...this.#tunnels.values()].map(({ target }) => target);
  }

  /** Client side: opens a tunnel to `owner` for this upgrade. */
  open(req: IncomingMessage, socket: Duplex, head: Buffer, owner: string): void {
    const id = randomBytes(9).toString('base64url');
    socket.on('error', noop);
    if (log.enabled) log('tunnel %s for an upgrade to node %s', id, owner);
    this.#add(id, owner, socket);
    const tunnelHead = Buffer.concat([rawRequestHead(req), head]);
    const unpipe = this.#pipe(id, owner, socket);
    this.#link.publish(owner, { t: 'tunnel', id, from: this.#link.tag, head: tunnelHead }, () => {
      // The owner is gone: the local Server refuses the upgrade in the client's own words (Engine.IO's
      // `400 Session ID unknown`; 0.9 upgrades and says `7:::1+0`), as it does for polling.
      this.#tunnels.delete(id);
      unpipe();
      const loopback = this.#link.loopback();
      if (!this.#link.closed() && loopback !== undefined) return loopback.carry(socket, tunnelHead);
      socket.end(REFUSED_UPGRADE);
      socket.once('finish', () => socket.destroy());
    });
  }

  /** Owner side: a websocket upgrade that came to another node, answered here over a raw tunnel. */
  accept(message: Extract<ForwardMessage, { t: 'tunnel' }>): void {
    const loopback = this.#link.loopback();
    if (loopback === undefined) return;
    if (log.enabled) log('tunnel %s opened from node %s', message.id, message.from);
    const socket = loopback.connect();
    socket.on('error', noop);
    this.#add(message.id, message.from, socket);
    this.#pipe(message.id, message.from, socket);
    socket.write(message.head);
  }

  /** What the other end sent through tunnel `id`, and its end. */
  receive(message: Extract<ForwardMessage, { t: 'data' }>): void {
    const tunnel = this.#tunnels.get(message.id);
    if (tunnel === undefined) return;
    for (const chunk of message.chunks) tunnel.socket.write(chunk);
    if (message.end) {
      this.#tunnels.delete(message.id);
      tunnel.socket.end();
    }
  }

  /** Ends tunnel `id` at once (its data could not be delivered). */
  destroy(id: string): void {
    this.#tunnels.get(id)?.socket.destroy();
  }

  /** Ends every tunnel to `target`; `forget(id)` drops what was still queued for it, before and after. */
  endAllTo(target: string, forget: (id: string) => void): void {
    for (const [id, tunnel] of this.#tunnels) {
      if (tunnel.target !== target) continue;
      forget(id);
      tunnel.socket.destroy();
      forget(id); // and the end its closing queued
    }
  }

  close(): void {
    for (const { socket } of this.#tunnels.values()) socket.destroy();
    this.#tunnels.clear();
  }

  #add(id: string, target: string, socket: Duplex): void {
    this.#tunnels.set(id, { target, socket });
    this.#link.watch();
  }

  /** Carries what `socket` reads to the other end of tunnel `id`, and its end; returns what stops that. */
  #pipe(id: string, target: string, socket: Duplex): () => void {
    const onData = (chunk: Buffer): void => this.#link.outbound.add(id, target, 'data', { chunk });
    const onGone = (): void => {
      if (this.#tunnels.delete(id)) this.#link.outbound.add(id, target, 'data', { end: true });
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
}
