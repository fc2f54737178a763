import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { clientLocator } from './client-bundle.js';

const FILES: Record<string, string> = {
  'socket.io.js': 'socket.io.js',
  'socket.io.js.map': 'socket.io.js.map',
  'socket.io.min.js': 'socket.io.min.js',
  'socket.io.min.js.map': 'socket.io.min.js.map',
  'socket.io.esm.min.js': 'socket.io.esm.min.js',
  'socket.io.esm.min.js.map': 'socket.io.esm.min.js.map',
};

/**
 * Serves `<path>/socket.io.js`, `.min.js`, `.esm.min.js` (and their maps) from the installed
 * socket.io-client. Returns false when the URL is not one of them.
 */
export function serveClientFile(path: string, req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? '';
  if (!url.startsWith(path)) return false;
  const end = url.indexOf('?');
  const name = url.slice(path.length, end === -1 ? undefined : end);
  const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
  if (file === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const bundle = clientLocator.locate();
  if (bundle === undefined) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('socket.io-client is not installed');
    return true;
  }
  const etag = `"${bundle.version}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304).end();
    return true;
  }
  res.writeHead(200, {
    'Content-Type': name.endsWith('.map') ? 'application/json' : 'application/javascript; charset=utf-8',
    'Cache-Control': 'public, max-age=0',
    ETag: etag,
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  createReadStream(join(bundle.dir, file))
    .on('error', () => res.destroy())
    .pipe(res);
  return true;
}
