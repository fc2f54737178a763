import { type ClientRequest, createServer, request as httpRequest, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import type { NodeHttpHandler } from '@switchyard/core';

/**
 * One end of an in-memory connection: what is written to it is read from its peer. It has the few
 * net.Socket methods that http and ws call on a socket, as no-ops.
 */
export class LoopbackSocket extends Duplex {
  #peer: LoopbackSocket | undefined;
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  readonly encrypted = false;

  static pair(): [LoopbackSocket, LoopbackSocket] {
    const a = new LoopbackSocket();
    const b = new LoopbackSocket();
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#peer?.push(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    const peer = this.#peer;
    this.#peer = undefined;
    if (peer !== undefined && !peer.destroyed) peer.destroy();
    callback(error);
  }

  setTimeout(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

/**
 * An http server that listens on no port: connections are handed to it in memory, and it answers them
 * through `local` (the Server), exactly as if the request had come from the network.
 */
export class Loopback {
  readonly #server: HttpServer;

  constructor(local: NodeHttpHandler) {
    this.#server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (!local.handleRequest(req, res)) res.writeHead(404).end();
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!local.handleUpgrade(req, socket, head)) socket.destroy();
    });
    this.#server.on('clientError', (_err, socket: Duplex) => socket.destroy());
  }

  /** A new in-memory connection to the server; the returned end is the client's. */
  connect(): LoopbackSocket {
    const [client, server] = LoopbackSocket.pair();
    this.#server.emit('connection', server);
    return client;
  }

  /** Hands the server a raw connection whose request `head` was already read from it (an upgrade). */
  carry(socket: Duplex, head: Buffer): void {
    const local = this.connect();
    local.on('error', () => socket.destroy());
    local.once('close', () => socket.destroy());
    socket.once('close', () => local.destroy());
    local.write(head);
    local.pipe(socket);
    socket.pipe(local);
  }

  /** Sends a request to the server over a new in-memory connection; the caller reads its `response`. */
  request(message: { method: string; url: string; headers: readonly string[]; body: Buffer | undefined }): ClientRequest {
    const headers = [...message.headers, 'Connection', 'close'];
    if (message.body !== undefined) headers.push('Content-Length', String(message.body.length));
    const req = httpRequest({ method: message.method, path: message.url, headers, createConnection: () => this.connect() });
    req.end(message.body);
    return req;
  }

  /** Whether a request reached the server through this loopback (forwarded, or replayed here). */
  static carried(req: IncomingMessage): boolean {
    return req.socket instanceof LoopbackSocket;
  }

  close(): void {
    this.#server.close();
    this.#server.closeAllConnections();
  }
}
