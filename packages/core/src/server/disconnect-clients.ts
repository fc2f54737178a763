import type { Server } from './server.js';

/**
 * Ends the connection of every client `io` has, over every generation, and leaves `io` serving: what a
 * framework adapter does on the framework's close with a Server it was handed (whoever created the Server
 * closes it). Each client is told it is disconnected when its transport can take it now, as `io.close()`
 * would; websockets then finish their closing handshake, so the framework's server can close.
 */
export function disconnectClients(io: Server): void {
  for (const session of [...io.engine.sessions.values()]) session.shutdown('server shutting down');
  for (const session of [...(io.legacyEngine?.sessions.values() ?? [])]) session.shutdown('server shutting down');
}
