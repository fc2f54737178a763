import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type CorsHandler, createCorsHandler } from '../engine/cors.js';
import type { CorsOptions } from '../engine/options.js';
import { negotiateEncoding } from './accept-encoding.js';
import { clientLocator } from './client-bundle.js';

/** The files of socket.io-client's `dist/` that are served under the path. */
const FILES: ReadonlySet<string> = new Set(
  ['socket.io.js', 'socket.io.min.js', 'socket.io.esm.min.js', 'socket.io.msgpack.min.js'].flatMap((name) => [name, `${name}.map`]),
);

export interface ClientFilesOptions {
  /** The path clients connect to, with a trailing slash. */
  path: string;
  /** The engine's CORS options: the bundles get the same CORS headers as the polling requests. */
  cors?: CorsOptions | undefined;
}

/**
 * Serves socket.io-client's browser bundles and their source maps under the path
 * (`<path>/socket.io.js`, `.min.js`, `.esm.min.js`, `.msgpack.min.js`, each with its `.map`), with the
 * client's version as ETag and br, gzip or deflate when the client accepts them.
 */
export class ClientFiles {
  readonly #path: string;
  readonly #cors: CorsHandler | undefined;

  constructor(options: ClientFilesOptions) {
    this.#path = options.path;
    this.#cors = options.cors === undefined ? undefined : createCorsHandler(options.cors);
  }

  /** Answers a request for one of the files and returns true, or returns false and touches nothing. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const file = this.#fileOf(req.url ?? '');
    if (file === undefined) return false;
    const method = req.method ?? 'GET';
    const preflight = method === 'OPTIONS' && this.#cors !== undefined;
    if (method !== 'GET' && method !== 'HEAD' && !preflight) return false;
    if (this.#cors === undefined) serve(file, req, res);
    // The cors package answers preflights itself, unless told to let them through (preflightContinue).
    else this.#cors(req, res, () => (preflight ? res.writeHead(204).end() : serve(file, req, res)));
    return true;
  }

  #fileOf(url: string): string | undefined {
    if (!url.startsWith(this.#path)) return undefined;
    const end = url.indexOf('?');
    const name = url.slice(this.#path.length, end === -1 ? undefined : end);
    return FILES.has(name) ? name : undefined;
  }
}

function serve(file: string, req: IncomingMessage, res: ServerResponse): void {
  const bundle = clientLocator.locate();
  if (bundle === undefined) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('socket.io-client is not installed');
    return;
  }
  const etag = `"${bundle.version}"`;
  const headers: OutgoingHttpHeaders = {
    'Cache-Control': 'public, max-age=0',
    ETag: etag,
    Vary: varyWith(res.getHeader('Vary'), 'Accept-Encoding'),
  };
  if (matchesEtag(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  bundle.body(file, encoding).then(
    (body) => {
      if (res.destroyed) return;
      res.writeHead(200, {
        ...headers,
        'Content-Type': `application/${file.endsWith('.map') ? 'json' : 'javascript'}; charset=utf-8`,
        'Content-Length': body.length,
        ...(encoding !== undefined && { 'Content-Encoding': encoding }),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    () => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('client bundle unreadable');
      else res.destroy();
    },
  );
}

/** Whether `If-None-Match` names `etag`, strong or weak (`W/"4.8.1"`), alone, in a list, or as `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((item) => {
    const tag = item.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/** Adds `field` to a Vary header another handler (cors) may have set already. */
function varyWith(current: number | string | string[] | undefined, field: string): string {
  const fields = (Array.isArray(current) ? current.join(',') : String(current ?? '')).split(',').map((f) => f.trim()).filter((f) => f !== '');
  if (fields.includes('*') || fields.some((f) => f.toLowerCase() === field.toLowerCase())) return fields.join(', ');
  return [...fields, field].join(', ');
}
