import type { IncomingMessage, ServerResponse } from 'node:http';
import corsMiddleware from 'cors';
import type { CorsOptions } from './options.js';
import { askOriginFunction } from './origin-policy.js';

export type CorsHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * CORS for the HTTP requests, through the `cors` package (the one Express and socket.io use), so the
 * options behave exactly as socket.io users expect, OPTIONS preflights included.
 */
export function createCorsHandler(options: CorsOptions): CorsHandler {
  const ask = options.origin;
  if (typeof ask !== 'function') return corsMiddleware(options as corsMiddleware.CorsOptions) as CorsHandler;
  // An origin function is asked once per request, whether the headers or the origin policy asks first.
  const delegate = (req: IncomingMessage, callback: (err: Error | null, options?: corsMiddleware.CorsOptions) => void): void =>
    askOriginFunction(ask, req, req.headers.origin, (err, allow) =>
      err === null ? callback(null, { ...options, origin: allow ?? false } as corsMiddleware.CorsOptions) : callback(err),
    );
  return corsMiddleware(delegate as corsMiddleware.CorsOptionsDelegate) as CorsHandler;
}
