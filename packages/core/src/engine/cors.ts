import type { IncomingMessage, ServerResponse } from 'node:http';
import corsMiddleware from 'cors';
import type { CorsOptions } from './options.js';

export type CorsHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * CORS for the HTTP requests, through the `cors` package (the one Express and socket.io use), so the
 * options behave exactly as socket.io users expect, OPTIONS preflights included.
 */
export function createCorsHandler(options: CorsOptions): CorsHandler {
  return corsMiddleware(options as corsMiddleware.CorsOptions) as CorsHandler;
}
