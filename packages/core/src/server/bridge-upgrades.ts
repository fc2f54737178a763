import { type IncomingMessage, type Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { Duplex } from 'node:stream';
import { abortUpgradeWithStatus } from '../engine/http-answers.js';
import type { Server } from './server.js';

/*
 * Framework-free plumbing the framework adapters share. A framework only routes ordinary requests, so a
 * websocket upgrade under the Server's path is sent through the framework as a request whose response
 * writes to the upgrading socket: the framework's middleware, hooks and auth see the handshake, and a
 * refusal they write (401, 403…) reaches the client. The adapter's handler then takes the socket back with
 * `serveFrameworkRequest`, which hands it to `handleUpgrade`.
 */

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

interface PendingUpgrade {
  socket: Duplex;
  head: Buffer;
  res: ServerResponse;
}

const pending = new WeakMap<IncomingMessage, PendingUpgrade>();

export interface BridgeUpgradesOptions {
  /** Runs the framework on the request. Default: the server's own `request` listeners. */
  dispatch?: RequestListener;
}

/**
 * Refuses a Server that is already attached to an http server (`new Server(httpServer)`, `attach`,
 * `listen`): its own listener would answer polling handshakes before the framework's middleware (an auth
 * that answers 401 would be skipped) and take its websocket upgrades too. Every adapter calls this first.
 */
export function refuseAttachedServer(io: Server, framework: string): void {
  if (io.httpServer !== undefined) {
    throw new TypeError(
      `${framework}: this Switchyard Server is already attached to an http server, so it would answer requests before ${framework}'s middleware runs. Create it without one (new Server(options)) and let the adapter mount it.`,
    );
  }
}

/**
 * Sends websocket upgrades under `io`'s path through the framework (see above); every other upgrade is
 * left to the server's other `upgrade` listeners, or refused with 404 when there are none. Returns a
 * function that removes the listener.
 */
export function bridgeUpgrades(server: HttpServer, io: Server, options: BridgeUpgradesOptions = {}): () => void {
  const dispatch: RequestListener = options.dispatch ?? ((req, res) => server.emit('request', req, res));
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (io.engine.matches(req.url ?? '')) {
      socket.on('error', noop);
      const res = new ServerResponse(req);
      res.shouldKeepAlive = false;
      res.assignSocket(socket as NetSocket);
      res.once('finish', () => socket.end());
      pending.set(req, { socket, head, res });
      try {
        dispatch(req, res);
      } catch {
        // A framework that throws instead of answering: the client gets a plain 500, the process carries on.
        pending.delete(req);
        res.detachSocket(socket as NetSocket);
        abortUpgradeWithStatus(socket, 500, 'Internal Server Error');
      }
    } else if (server.listenerCount('upgrade') === 1) {
      // Without this listener Node would have answered a plain 404; nobody else wants this upgrade.
      socket.on('error', noop);
      abortUpgradeWithStatus(socket, 404, 'Not Found');
    }
  };
  server.on('upgrade', onUpgrade);
  return () => server.off('upgrade', onUpgrade);
}

/**
 * The adapter's handler: answers a request the framework routed to it, or takes over the websocket
 * upgrade `bridgeUpgrades` sent through the framework. `context` is the framework's request object, handed
 * to the namespaces (`io.requestOf(socket)`, class namespaces' `this.request`). Returns false for a request
 * outside the Server's path.
 */
export function serveFrameworkRequest(io: Server, req: IncomingMessage, res: ServerResponse, context?: unknown): boolean {
  const upgrade = pending.get(req);
  if (upgrade === undefined) return io.handleRequest(req, res, context);
  if (!io.engine.matches(req.url ?? '')) return false;
  pending.delete(req);
  upgrade.res.detachSocket(upgrade.socket as NetSocket);
  return io.handleUpgrade(req, upgrade.socket, upgrade.head, context);
}

/**
 * Makes the next `server.close()` disconnect `io`'s clients too, so closing the framework's server resolves
 * while clients are connected (Node would otherwise wait for them). The server is closed only by whoever
 * calls `close()`; the method is put back on that first call. Returns a function that puts it back at once.
 */
export function closeWithServer(server: HttpServer, io: Server): () => void {
  const own = Object.prototype.hasOwnProperty.call(server, 'close');
  const original = server.close;
  const restore = (): void => {
    if (own) server.close = original;
    else delete (server as Partial<HttpServer>).close;
  };
  server.close = function close(this: HttpServer, callback?: (err?: Error) => void): HttpServer {
    restore();
    original.call(this, callback);
    // Connections that carried a poll or a websocket become idle only once io has answered them.
    void io.shutdown().then(() => server.closeIdleConnections());
    return this;
  };
  return restore;
}

function noop(): void {}
