import createDebug from 'debug';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { endToEndHeaders, type ForwardMessage, type RequestMessage, UNKNOWN_SID } from './forward-messages.js';
import type { RouterLink } from './router-link.js';

const log = createDebug('switchyard:redis');

/**
 * Polling requests that reached a node other than their session's owner. On the node the client asked,
 * the request waits for the owner's answer; on the owner, it is replayed against the Server through an
 * in-memory http connection and the answer streamed back.
 */
export class ForwardedRequests {
  readonly #link: RouterLink;
  readonly #options: { forwardTimeout: number; maxBodySize: number };
  /** Requests this node forwarded, waiting for the owner's answer. */
  readonly #waiting = new Map<string, { target: string; request: RequestMessage; res: ServerResponse; timer: NodeJS.Timeout }>();
  /** Forwarded requests this node is answering. */
  readonly #serving = new Map<string, { destroy(): void }>();

  constructor(link: RouterLink, options: { forwardTimeout: number; maxBodySize: number }) {
    this.#link = link;
    this.#options = options;
  }

  /** True while request `id` waits for its owner's answer. */
  isWaiting(id: string): boolean {
    return this.#waiting.has(id);
  }

  /** The nodes some request waits for. */
  targets(): string[] {
    return [...this.#waiting.values()].map(({ target }) => target);
  }

  /** Requester side: carries the request to `owner` once its body is in. */
  forward(req: IncomingMessage, res: ServerResponse, owner: string): void {
    const id = randomBytes(9).toString('base64url');
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
      const message: RequestMessage = { t: 'request', id, from: this.#link.tag, method: req.method ?? 'GET', url: req.url ?? '/', headers: endToEndHeaders(req.rawHeaders), body };
      if (log.enabled) log('forward %s request %s %s to node %s', message.method, id, message.url, owner);
      const timer = setTimeout(() => this.giveUp(id), this.#options.forwardTimeout);
      this.#waiting.set(id, { target: owner, request: message, res, timer });
      this.#link.watch();
      res.once('close', () => {
        if (this.#waiting.has(id)) {
          this.giveUp(id);
          this.#link.send(owner, { t: 'abort', id });
        }
      });
      this.#link.publish(owner, message, () => this.giveUp(id));
    });
  }

  /** Requester side: writes the owner's answer to the client that is waiting for it. */
  answer(message: Extract<ForwardMessage, { t: 'response' }>): void {
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

  /** A held poll on a dead owner is refused now, not after forwardTimeout: its client handshakes again. */
  giveUpOn(target: string): void {
    for (const [id, waiting] of this.#waiting) if (waiting.target === target) this.giveUp(id);
  }

  /**
   * The client waited too long, went away, or the owner is gone: it learns the session is unknown. The
   * local Server says so, in the client generation's own words (Engine.IO's `Session ID unknown`, 0.9's
   * `7:::1+0`, as JSONP where the client polls that way), so the client handshakes again.
   */
  giveUp(id: string): void {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return;
    if (log.enabled) log('gave up forwarded request %s to node %s', id, waiting.target);
    this.#waiting.delete(id);
    clearTimeout(waiting.timer);
    const { res } = waiting;
    if (res.headersSent) return void res.end();
    if (res.destroyed) return;
    const loopback = this.#link.loopback();
    if (this.#link.closed() || loopback === undefined) {
      res.writeHead(400, { 'Content-Type': 'application/json', 'Content-Length': UNKNOWN_SID.length }).end(UNKNOWN_SID);
      return;
    }
    const refusal = loopback.request(waiting.request);
    refusal.on('response', (incoming: IncomingMessage) => {
      res.writeHead(incoming.statusCode ?? 400, endToEndHeaders(incoming.rawHeaders));
      incoming.pipe(res);
    });
    refusal.on('error', () => res.destroy());
    res.once('close', () => refusal.destroy());
  }

  /** Owner side: replays a forwarded request against the local Server and sends its answer back. */
  serve(message: RequestMessage): void {
    const loopback = this.#link.loopback();
    if (loopback === undefined) return;
    const { id, from } = message;
    if (log.enabled) log('serving request %s forwarded by node %s', id, from);
    const { outbound } = this.#link;
    const req = loopback.request(message);
    this.#serving.set(id, req);
    req.on('response', (incoming: IncomingMessage) => {
      outbound.add(id, from, 'response', { status: incoming.statusCode ?? 502, headers: endToEndHeaders(incoming.rawHeaders) });
      incoming.on('data', (chunk: Buffer) => outbound.add(id, from, 'response', { chunk }));
      incoming.on('end', () => {
        this.#serving.delete(id);
        outbound.add(id, from, 'response', { end: true });
      });
    });
    req.on('error', () => {
      if (this.#serving.delete(id)) outbound.add(id, from, 'response', { status: 502, headers: [], end: true });
    });
  }

  /** Owner side: the requester stopped waiting, or its answer could not be delivered. */
  abort(id: string): void {
    this.#serving.get(id)?.destroy();
    this.#serving.delete(id);
  }

  /** Answers every waiting request and drops every one being served. */
  close(): void {
    for (const id of [...this.#waiting.keys()]) this.giveUp(id);
    for (const serving of this.#serving.values()) serving.destroy();
    this.#serving.clear();
  }
}
