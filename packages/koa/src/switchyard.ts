import type { Server as HttpServer } from 'node:http';
import { bridgeUpgrades, closeWithServer, refuseAttachedServer, serveFrameworkRequest, type Server } from '@switchyard/core';
import type { Middleware } from 'koa';

declare module 'koa' {
  interface DefaultContext {
    /** The Switchyard Server mounted by `@switchyard/koa`. */
    io: Server;
  }
}

/** The middleware, plus the hook that brings websocket handshakes into the app. */
export interface SwitchyardKoaMiddleware extends Middleware {
  /**
   * Sends websocket handshakes under the Server's path through the app, so the middleware in front of
   * this one (sessions, auth) runs on them too, and makes `server.close()` disconnect every client.
   * Returns `server`.
   */
  attach<TServer extends HttpServer>(server: TServer): TServer;
}

/**
 * Mounts a Switchyard Server in a Koa 3 app: requests under its path are answered here, with the Koa
 * `ctx` (and `ctx.session`, `ctx.state`) as `io.requestOf(socket)`; everything else goes on downstream.
 * Sets `ctx.io` on every request.
 *
 * ```js
 * const socketio = switchyard(io);
 * app.use(socketio);                   // after session and auth middleware
 * socketio.attach(app.listen(3000));
 * ```
 */
export function switchyard(io: Server): SwitchyardKoaMiddleware {
  refuseAttachedServer(io, 'Koa');
  const middleware: Middleware = async (ctx, next) => {
    ctx.io = io;
    if (serveFrameworkRequest(io, ctx.req, ctx.res, ctx)) ctx.respond = false;
    else await next();
  };
  return Object.assign(middleware, {
    attach<TServer extends HttpServer>(server: TServer): TServer {
      bridgeUpgrades(server, io);
      closeWithServer(server, io);
      return server;
    },
  });
}
