import type { IncomingMessage } from 'node:http';
import { checkLogger, consoleLogger, type Logger } from './logger.js';
import type { CookieOption } from './response-headers.js';

export type TransportName = 'polling' | 'websocket';

/** The CORS options socket.io users know (the shape of the `cors` package). */
export type CorsOrigin =
  | boolean
  | string
  | RegExp
  | ReadonlyArray<string | RegExp>
  | ((origin: string | undefined, callback: (err: Error | null, allow?: boolean | string | RegExp | ReadonlyArray<string | RegExp>) => void) => void);

export interface CorsOptions {
  origin?: CorsOrigin;
  methods?: string | readonly string[];
  allowedHeaders?: string | readonly string[];
  exposedHeaders?: string | readonly string[];
  credentials?: boolean;
  maxAge?: number;
  preflightContinue?: boolean;
  optionsSuccessStatus?: number;
}

/** `callback(null, true)` lets the handshake through; anything else answers 403 (code 4). */
export type AllowRequest = (
  req: IncomingMessage,
  callback: (err: string | null | undefined, success: boolean) => void,
) => void;

export interface HttpCompressionOptions {
  /** Bodies smaller than this many bytes are sent as they are. Default 1024. */
  threshold?: number;
}

export interface PerMessageDeflateOptions {
  threshold?: number;
  serverNoContextTakeover?: boolean;
  clientNoContextTakeover?: boolean;
  serverMaxWindowBits?: number;
  clientMaxWindowBits?: number;
  concurrencyLimit?: number;
  zlibDeflateOptions?: Record<string, unknown>;
  zlibInflateOptions?: Record<string, unknown>;
}

export interface EngineOptions {
  /** Where the engine answers. Default `/engine.io`. */
  path?: string;
  /** Milliseconds between two server pings. Default 25000. */
  pingInterval?: number;
  /** Milliseconds the client has to answer a ping. Default 20000. */
  pingTimeout?: number;
  /** Milliseconds a websocket probe has to complete an upgrade. Default 10000. */
  upgradeTimeout?: number;
  /** Largest message or polling body in bytes. Default 1e6. */
  maxHttpBufferSize?: number;
  /** Transports a client may use. Default both. */
  transports?: readonly TransportName[];
  /** Whether a polling session may upgrade to websocket. Default true. */
  allowUpgrades?: boolean;
  /** Decides whether a handshake is accepted (every generation's, the 0.9 one included). */
  allowRequest?: AllowRequest;
  /**
   * Most sessions open at once, every generation counted together; a handshake past it is answered 503.
   * Default: no limit. (`protocol09.maxSessions` may bound the 0.9 sessions further.)
   */
  maxSessions?: number;
  /**
   * CORS for the HTTP requests of every generation (the `cors` package's options). Off unless given. When
   * `origin` restricts origins, it is also a security policy (see {@link strictOrigin}).
   */
  cors?: CorsOptions;
  /**
   * When `cors.origin` restricts origins, refuse with 403 a handshake or websocket upgrade that a browser
   * page from an origin it does not allow makes (cross-site websocket hijacking: browsers do not apply
   * CORS to websockets, nor to JSONP and htmlfile loads). The server's own origin and requests without an
   * Origin (non-browser clients) pass. Default true; false answers them as socket.io does (CORS headers
   * only).
   */
  strictOrigin?: boolean;
  /** Compression of polling responses. Default `{ threshold: 1024 }`; `false` turns it off. */
  httpCompression?: boolean | HttpCompressionOptions;
  /** permessage-deflate on websocket. Default false. */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /**
   * Unsent bytes a websocket (or a 0.9 htmlfile or xhr-multipart response) may pile up for a client that
   * stopped reading, or that may wait for a polling client's next request (any generation), before its
   * session is closed.
   * One large message alone never counts. Default 16 MiB.
   */
  maxWriteBuffer?: number;
  /**
   * Makes the session id; must return (or resolve to) a unique, unguessable, URL-safe string. Also
   * assignable later as `engine.generateId`.
   */
  generateId?: (req: IncomingMessage) => string | PromiseLike<string>;
  /**
   * engine.io's sticky-session cookie: `true` or `{ name: 'io', path: '/', httpOnly: true, sameSite: 'lax', … }`
   * (the `cookie` package's options) sets `<name>=<sid>` on every handshake answer. Off unless given.
   */
  cookie?: CookieOption;
  /**
   * Whether Engine.IO v3 clients (socket.io-client 2.x) are served next to v4 ones. Default true, unlike
   * socket.io: serving every client generation on one endpoint is what Switchyard is for.
   */
  allowEIO3?: boolean;
  /**
   * Whether Engine.IO v4 clients (socket.io-client 3.x and 4.x) are served. Default true; false leaves an
   * endpoint for older generations only (for example a server kept for a fleet of 2.x apps).
   */
  allowEIO4?: boolean;
  /**
   * Where the server's own messages go (a refused handshake at `debug`, a listener that threw at `error`, …):
   * any object with `debug`, `info`, `warn` and `error` methods taking `(fields, message)`, as pino's do.
   * Default: warnings and errors on the console, one line each.
   */
  logger?: Logger;
}

export interface ResolvedEngineOptions {
  path: string;
  pingInterval: number;
  pingTimeout: number;
  upgradeTimeout: number;
  maxHttpBufferSize: number;
  transports: ReadonlySet<TransportName>;
  allowUpgrades: boolean;
  allowRequest: AllowRequest | undefined;
  maxSessions: number;
  cors: CorsOptions | undefined;
  strictOrigin: boolean;
  httpCompressionThreshold: number | false;
  perMessageDeflate: boolean | PerMessageDeflateOptions;
  maxWriteBuffer: number;
  generateId: ((req: IncomingMessage) => string | PromiseLike<string>) | undefined;
  cookie: CookieOption | undefined;
  allowEIO3: boolean;
  allowEIO4: boolean;
  logger: Logger;
}

/** `'/engine.io'` and `'/engine.io/'` both become `'/engine.io/'`. */
export function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return (trimmed.startsWith('/') ? trimmed : '/' + trimmed) + '/';
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`option ${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

export function resolveEngineOptions(options: EngineOptions = {}): ResolvedEngineOptions {
  const transports = new Set<TransportName>(options.transports ?? ['polling', 'websocket']);
  for (const t of transports) {
    if (t !== 'polling' && t !== 'websocket') throw new TypeError(`unknown transport ${JSON.stringify(t)}`);
  }
  const compression = options.httpCompression ?? true;
  return {
    path: normalizePath(options.path ?? '/engine.io'),
    pingInterval: positive('pingInterval', options.pingInterval, 25_000),
    pingTimeout: positive('pingTimeout', options.pingTimeout, 20_000),
    upgradeTimeout: positive('upgradeTimeout', options.upgradeTimeout, 10_000),
    maxHttpBufferSize: positive('maxHttpBufferSize', options.maxHttpBufferSize, 1e6),
    transports,
    allowUpgrades: options.allowUpgrades ?? true,
    allowRequest: options.allowRequest,
    maxSessions: positive('maxSessions', options.maxSessions, Infinity),
    cors: options.cors,
    strictOrigin: options.strictOrigin ?? true,
    httpCompressionThreshold: compression === false ? false : (compression === true ? 1024 : compression.threshold ?? 1024),
    perMessageDeflate: options.perMessageDeflate ?? false,
    maxWriteBuffer: positive('maxWriteBuffer', options.maxWriteBuffer, 16 * 1024 * 1024),
    generateId: options.generateId,
    cookie: options.cookie,
    allowEIO3: options.allowEIO3 ?? true,
    allowEIO4: options.allowEIO4 ?? true,
    logger: options.logger === undefined ? consoleLogger : checkLogger(options.logger),
  };
}
