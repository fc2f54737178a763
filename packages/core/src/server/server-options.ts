import type { LegacyEngineOptions } from '../engine/legacy/legacy-options.js';
import type { EngineOptions } from '../engine/options.js';
import type { Parser } from '../realtime/custom-parser.js';
import type { SocketLimits } from '../realtime/socket-limits.js';
import type { AnyAdapterConstructor } from '../realtime/foreign-adapter.js';
import type { SessionRouter } from './session-router.js';

export interface ServerOptions extends EngineOptions, Partial<SocketLimits> {
  /** Default `/socket.io`. */
  path?: string;
  /** Serve the installed socket.io-client's browser bundles at `<path>/socket.io.js` etc. Default true. */
  serveClient?: boolean;
  /** Milliseconds a connection may stay without joining a namespace. Default 45000. */
  connectTimeout?: number;
  /** The adapter class (rooms, broadcasts, cluster). Default: in-process. */
  adapter?: AnyAdapterConstructor;
  /**
   * A socket.io-parser-compatible parser (`Encoder` and `Decoder` classes, e.g. socket.io-msgpack-parser)
   * for the Socket.IO v5 clients: socket.io-client 3.x and 4.x, over Engine.IO v4, which must use the same
   * parser. socket.io-client 2.x and 0.9 keep their own wire. Default: the standard Socket.IO encoding.
   */
  parser?: Parser;
  /** Drop a dynamic child namespace once its last socket leaves. Default false. */
  cleanupEmptyChildNamespaces?: boolean;
  /** Most binary attachments in one packet. Default 10. */
  maxAttachments?: number;
  /**
   * Deepest nesting of arrays and objects the JSON of a packet from a client may have, every generation
   * (the args array of an event counts, and a 0.9 event's `{"name","args"}` object too). Checked before the
   * JSON is parsed; a packet past it is a protocol error that closes that client's session only.
   * Default 64.
   */
  maxNestingDepth?: number;
  /**
   * Connection state recovery: a socket that drops (network, ping timeout, restart) and comes back within
   * maxDisconnectionDuration (default 2 minutes) gets its id, rooms and data back, and the broadcasts it
   * missed. Broadcast events then carry an offset as their last argument, as in socket.io.
   */
  connectionStateRecovery?: { maxDisconnectionDuration?: number; skipMiddlewares?: boolean };
  /**
   * The 0.9 protocol (socket.io-client 0.7–0.9) under `<path>/1/`, on the same namespaces. On by default
   * (`{}`); `false` turns it off. The Flash policy server stays off unless `flashPolicyServer` is given.
   */
  protocol09?: LegacyEngineOptions | false;
  /**
   * Requests for sessions another process owns go through this (a cluster's, e.g. `@switchyard/redis`),
   * so that several processes serve one endpoint without sticky sessions.
   */
  router?: SessionRouter;
}
