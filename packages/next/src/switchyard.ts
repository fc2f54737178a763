import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { closeWithServer, refuseAttachedServer, type Server } from '@switchyard/core';

export interface SwitchyardNextOptions {
  /**
   * Once the server listens, ask Next (one GET under the path) whether one of its routes would answer
   * there, and warn if so: that route is never reached while Switchyard claims the path. Default true.
   */
  checkShadowing?: boolean;
  /** Where the warning goes. Default: the Server's `logger` (`warn`), which prints to the console unless replaced. */
  warn?: (message: string) => void;
}

const PROBE_HEADER = 'x-switchyard-probe';

/**
 * Mounts Switchyard on the http server of a Next.js 15 or 16 custom server. Call it before the server
 * listens:
 *
 * ```js
 * const server = createServer((req, res) => handle(req, res));
 * switchyard(server, io);
 * server.listen(3000);
 * ```
 *
 * Requests and websocket upgrades under the Server's path are answered by Switchyard and reach none of
 * the server's other listeners, so Next (which adds its own upgrade listener for HMR on its first request,
 * at a path that differs between versions) never sees them; everything else reaches Next untouched.
 * `server.close()` disconnects every client first. Returns a function that gives the server back.
 */
export function switchyard(server: HttpServer, io: Server, options: SwitchyardNextOptions = {}): () => void {
  refuseAttachedServer(io, 'Next.js');
  const probe = randomUUID();
  const hadOwnEmit = Object.prototype.hasOwnProperty.call(server, 'emit');
  const emit = server.emit;
  const claims = (req: IncomingMessage): boolean => io.engine.matches(req.url ?? '') && req.headers[PROBE_HEADER] !== probe;
  server.emit = function emitUnlessClaimed(this: HttpServer, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request' && claims(args[0] as IncomingMessage)) {
      return io.handleRequest(args[0] as IncomingMessage, args[1] as Parameters<Server['handleRequest']>[1]);
    }
    if (event === 'upgrade' && claims(args[0] as IncomingMessage)) {
      return io.handleUpgrade(args[0] as IncomingMessage, args[1] as Duplex, args[2] as Buffer);
    }
    return (emit as (this: HttpServer, ...all: unknown[]) => boolean).call(this, event, ...args);
  } as HttpServer['emit'];
  // Node hands a socket to `upgrade` listeners only when there is one, and Next adds its own only on its
  // first request: until then (or without Next), an upgrade nobody claims is refused here.
  const refuseUnclaimed = (_req: IncomingMessage, socket: Duplex): void => {
    if (server.listenerCount('upgrade') > 1) return;
    socket.on('error', () => {});
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  };
  server.on('upgrade', refuseUnclaimed);
  const restoreClose = closeWithServer(server, io);

  const check = (): void => {
    const address = server.address();
    if (address === null || typeof address === 'string') return;
    const logger = io.engine.options.logger;
    const warn = options.warn ?? ((message: string) => logger.warn({ path: io.engine.options.path }, message));
    warnIfShadowed(address, io.engine.options.path, probe, warn);
  };
  if (options.checkShadowing !== false) {
    if (server.listening) check();
    else server.once('listening', check);
  }

  return () => {
    if (hadOwnEmit) server.emit = emit;
    else delete (server as Partial<HttpServer>).emit;
    restoreClose();
    server.off('upgrade', refuseUnclaimed);
    server.off('listening', check);
  };
}

function warnIfShadowed(address: AddressInfo, path: string, probe: string, warn: (message: string) => void): void {
  const unspecified = address.address === '::' || address.address === '0.0.0.0';
  const host = unspecified ? '127.0.0.1' : address.address;
  const url = `${path}switchyard-shadow-check`;
  const req = httpRequest({ host, port: address.port, path: url, headers: { [PROBE_HEADER]: probe }, agent: false }, (res) => {
    res.resume();
    if (res.statusCode !== 404) {
      warn(`@switchyard/next: Next answers ${res.statusCode} at ${url}: a Next route or redirect overlaps ${path}, which Switchyard claims; it will never be reached`);
    }
  });
  req.on('error', () => {});
  req.end();
}
