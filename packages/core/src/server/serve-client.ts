import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const FILES: Record<string, string> = {
  'socket.io.js': 'socket.io.js',
  'socket.io.js.map': 'socket.io.js.map',
  'socket.io.min.js': 'socket.io.min.js',
  'socket.io.min.js.map': 'socket.io.min.js.map',
  'socket.io.esm.min.js': 'socket.io.esm.min.js',
  'socket.io.esm.min.js.map': 'socket.io.esm.min.js.map',
};

interface ClientBundle {
  dir: string;
  version: string;
}

let located: ClientBundle | null | undefined;

/** Finds the browser bundles of the socket.io-client the application installed (a peer dependency). */
function locateClient(): ClientBundle | null {
  if (located !== undefined) return located;
  // Look where the application lives (its entry script), then where it was started from.
  const bases = [process.argv[1] === undefined ? undefined : dirname(process.argv[1]), process.cwd()];
  located = null;
  for (const base of bases) {
    if (base === undefined) continue;
    try {
      const require = createRequire(join(base, 'noop.js'));
      const pkgPath = require.resolve('socket.io-client/package.json');
      const pkg = require(pkgPath) as { version: string };
      const dir = join(dirname(pkgPath), 'dist');
      if (existsSync(dir)) {
        located = { dir, version: pkg.version };
        break;
      }
    } catch {
      // not installed from there
    }
  }
  return located;
}

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
  const bundle = locateClient();
  if (bundle === null) {
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
