import { WebSocketServer } from 'ws';
import type { ServerOptions } from './server-options.js';

/** Every option the Server reads (its own, the engines', and socket.io's that need no work of ours). */
const KNOWN = new Set<string>([
  // Engine.IO
  'path', 'pingInterval', 'pingTimeout', 'upgradeTimeout', 'maxHttpBufferSize', 'transports', 'allowUpgrades',
  'allowRequest', 'cors', 'httpCompression', 'perMessageDeflate', 'maxWriteBuffer', 'generateId', 'allowEIO3',
  'allowEIO4', 'cookie', 'strictOrigin', 'maxSessions',
  // Socket.IO
  'serveClient', 'connectTimeout', 'adapter', 'parser', 'cleanupEmptyChildNamespaces', 'maxAttachments', 'connectionStateRecovery', 'maxNestingDepth',
  'maxRoomsPerSocket', 'maxNamespacesPerClient', 'maxPendingAcks',
  // Switchyard
  'protocol09', 'router', 'logger',
  // engine.io's: this engine already matches the path with and without its trailing slash, and leaves upgrades
  // outside its path to the http server's other listeners instead of destroying them.
  'addTrailingSlash', 'destroyUpgrade', 'destroyUpgradeTimeout',
]);

/** Options socket.io has that Switchyard does not, with what to do instead. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  wsEngine: 'Switchyard runs its websockets on ws; remove the option (uWebSockets.js and eiows are not supported)',
  initialPacket: 'the open packet carries no extra data here; send it in the connection listener instead',
};

/**
 * Refuses options that each make sense but not together (`options` being all the Server has, merged):
 * a `parser` serves the Engine.IO v4 clients only, so with `allowEIO4: false` it would serve nobody.
 */
export function checkOptionCombinations(options: Partial<ServerOptions>): void {
  if (options.parser !== undefined && options.allowEIO4 === false) {
    throw new TypeError(
      'option "parser" applies to socket.io-client 3.x and 4.x (Engine.IO v4), which "allowEIO4: false" turns away; '
        + 'socket.io-client 2.x and 0.9 keep their own wire',
    );
  }
}

/**
 * Refuses, with a TypeError that names it, an option the Server would otherwise ignore silently: an
 * unknown key (a typo, or an option of another version), or one of socket.io's that Switchyard does not
 * support. `wsEngine: ws.Server` (what socket.io uses anyway) is accepted.
 */
export function checkServerOptions(options: Partial<ServerOptions>): void {
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'wsEngine' && value === WebSocketServer) continue;
    const why = Object.hasOwn(UNSUPPORTED, key) ? UNSUPPORTED[key] : undefined;
    if (why !== undefined) throw new TypeError(`unsupported option "${key}": ${why}`);
    if (!KNOWN.has(key)) throw new TypeError(`unknown option "${key}"`);
  }
  for (const transport of options.transports ?? []) {
    if (transport !== 'polling' && transport !== 'websocket') {
      throw new TypeError(`unsupported transport "${String(transport)}" in option "transports": Switchyard serves polling and websocket`);
    }
  }
}
