import type { Server as HttpServer } from 'node:http';
import { bridgeUpgrades, closeWithServer, refuseAttachedServer, serveFrameworkRequest, type Server } from '@switchyard/core';
import type { RequestHandler } from 'express';

/** The middleware, plus the hook that brings websocket handshakes into the app. */
export interface SwitchyardMiddleware extends RequestHandler {
  /**
   * Sends websocket handshakes under the Server's path through the app, so the middleware in front of
   * this one (sessions, CORS, auth) runs on them too, and makes `server.close()` disconnect every client.
   * Returns `server`.
   */
  attach<TServer extends HttpServer>(server: TServer): TServer;
}

/**
 * Mounts a Switchyard Server in an Express 4 or 5 app: requests under its path are answered here (the
 * Express `req`, with `req.session` and `req.user`, becomes `socket.request`), everything else goes on to
 * the next middleware.
 *
 * ```js
 * const socketio = switchyard(io);
 * app.use(socketio);                   // after session, CORS and auth middleware
 * socketio.attach(app.listen(3000));
 * ```
 */
export function switchyard(io: Server): SwitchyardMiddleware {
  refuseAttachedServer(io, 'Express');
  const middleware: RequestHandler = (req, res, next) => {
    if (!serveFrameworkRequest(io, req, res, req)) next();
  };
  return Object.assign(middleware, {
    attach<TServer extends HttpServer>(server: TServer): TServer {
      bridgeUpgrades(server, io);
      closeWithServer(server, io);
      return server;
    },
  });
}
