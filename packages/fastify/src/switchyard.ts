import { Server, bridgeUpgrades, disconnectClients, refuseAttachedServer, serveFrameworkRequest, type ServerOptions } from '@switchyard/core';
import type { FastifyPluginAsync, HTTPMethods, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Switchyard Server mounted by `@switchyard/fastify`. */
    io: Server;
  }
}

/** A Server to mount (`io`), or the options to create one with. */
export type SwitchyardFastifyOptions = ServerOptions & { io?: Server };

const METHODS: HTTPMethods[] = ['GET', 'POST', 'OPTIONS'];

const plugin: FastifyPluginAsync<SwitchyardFastifyOptions> = async (fastify, pluginOptions) => {
  // Fastify's own registration options are not the Server's (which refuses keys it does not know).
  const { io: given, prefix: _prefix, logLevel: _logLevel, logSerializers: _logSerializers, ...options } = pluginOptions as SwitchyardFastifyOptions &
    Record<'prefix' | 'logLevel' | 'logSerializers', unknown>;
  const io = given ?? new Server(options);
  refuseAttachedServer(io, 'Fastify');
  fastify.decorate('io', io);

  // Requests under the path are routes of their own, so every onRequest/preHandler hook runs before the
  // Server sees them; the body is left unread for the Server.
  const handler: RouteHandlerMethod = (request, reply) => {
    // Headers the hooks set (CORS, cookies) go out with the Server's answer, which Fastify no longer sends.
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    reply.hijack();
    serveFrameworkRequest(io, request.raw, reply.raw, request);
  };
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    for (const url of [`${io.engine.options.path}*`, io.path()]) scope.route({ method: METHODS, url, handler });
  });

  // Websocket handshakes are sent through Fastify as requests too, hooks included.
  const unbridge = bridgeUpgrades(fastify.server, io, { dispatch: (req, res) => fastify.routing(req, res) });
  // Clients go first, so the http server can close; a Server handed in stays open for its owner to close.
  fastify.addHook('preClose', async () => {
    if (given === undefined) await io.close();
    else disconnectClients(io);
  });
  fastify.addHook('onClose', async () => unbridge());
};

/**
 * Mounts Switchyard in Fastify 5 and decorates `fastify.io`:
 *
 * ```js
 * await fastify.register(switchyard, { cors: { origin: 'https://example.com' } });
 * fastify.io.on('connection', (socket) => …);
 * ```
 *
 * The Fastify `request` (with what your hooks put on it) is `io.requestOf(socket)`. `fastify.close()`
 * disconnects every client first (`preClose`) and closes the Server only if the plugin created it.
 */
export const switchyard = fp(plugin, { name: '@switchyard/fastify', fastify: '5.x' });
