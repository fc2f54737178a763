import type { Plugin, RouteOptions } from '@hapi/hapi';
import pkg from '../package.json' with { type: 'json' };
import { Server as Switchyard, bridgeUpgrades, disconnectClients, refuseAttachedServer, serveFrameworkRequest, type ServerOptions } from '@switchyard/core';

/**
 * The Switchyard Server, under a name of its own: inside the augmentation below `Server` is hapi's, and the
 * published declarations must not confuse the two (they once typed `server.io` as hapi's own Server).
 */
export type SwitchyardServer = Switchyard;

declare module '@hapi/hapi' {
  interface Server {
    /** The Switchyard Server mounted by `@switchyard/hapi`. */
    readonly io: SwitchyardServer;
  }
}

/** A Server to mount (`io`), or the options to create one with; `auth` protects the handshake. */
export type SwitchyardHapiOptions = ServerOptions & {
  io?: Switchyard;
  /** The route auth for every request under the path, websocket handshakes included (`'session'`, `{ strategy, mode }`). */
  auth?: RouteOptions['auth'];
};

/**
 * Mounts Switchyard in hapi 21 and decorates `server.io`:
 *
 * ```js
 * await server.register({ plugin: switchyard, options: { auth: 'session' } });
 * server.io.on('connection', (socket) => …);
 * ```
 *
 * The hapi `request` (with `request.auth.credentials`) is `io.requestOf(socket)`. `server.stop()`
 * disconnects every client first (`onPreStop`) and closes the Server only if the plugin created it.
 */
export const switchyard: Plugin<SwitchyardHapiOptions> = {
  name: '@switchyard/hapi',
  version: pkg.version,
  register(server, { io: given, auth, ...options }) {
    const io = given ?? new Switchyard(options);
    refuseAttachedServer(io, 'hapi');
    server.decorate('server', 'io', io);
    // One route for the path: hapi's extensions and auth run first; the body is left unread for the Server.
    server.route({
      method: '*',
      path: `${io.engine.options.path}{rest*}`,
      options: {
        ...(auth !== undefined && { auth }),
        payload: { output: 'stream', parse: false },
        handler: (request, h) => {
          serveFrameworkRequest(io, request.raw.req, request.raw.res, request);
          return h.abandon;
        },
      },
    });
    // Websocket handshakes go through hapi as requests to that route.
    const unbridge = bridgeUpgrades(server.listener, io);
    // Clients go first, so the listener can close; a Server handed in stays open for its owner to close.
    server.ext('onPreStop', async () => {
      if (given === undefined) await io.close();
      else disconnectClients(io);
    });
    server.ext('onPostStop', async () => unbridge());
  },
};
