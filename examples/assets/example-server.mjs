// The small parts of an example's own http server: its page, files from installed packages, its 404, and
// its start-up from server.mjs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const TYPES = { '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** Answers GET/HEAD `/` (and `/index.html`) with `page` (HTML) and returns true, or returns false. */
export function servePage(req, res, page) {
  const path = (req.url ?? '/').split('?')[0];
  if ((path !== '/' && path !== '/index.html') || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': page.length });
  res.end(req.method === 'HEAD' ? undefined : page);
  return true;
}

/**
 * Files of installed packages (a browser build, its stylesheet), read once: `{ [path served]: module
 * specifier }`, resolved from `from` (the example's `import.meta.url`). Serve them with `serveFile`.
 */
export function packageFiles(from, specifiers) {
  const require = createRequire(from);
  return new Map(
    Object.entries(specifiers).map(([path, specifier]) => [path, { type: TYPES[path.slice(path.lastIndexOf('.'))], body: readFileSync(require.resolve(specifier)) }]),
  );
}

/** Answers GET/HEAD for one of `files` (from `packageFiles`) and returns true, or returns false. */
export function serveFile(req, res, files) {
  const file = files.get((req.url ?? '/').split('?')[0]);
  if (file === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length, 'Cache-Control': 'public, max-age=300' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
  return true;
}

export function notFound(res) {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found');
}

/**
 * Starts an example from its server.mjs: listens on PORT (default 3000), says where, and on Ctrl-C or
 * SIGTERM closes the Socket.IO server (which tells every client) and then the http server.
 * `app` is what the example's factory returns: its http server and its Switchyard `io`.
 */
export function startExample({ httpServer, io }, title) {
  const port = Number(process.env.PORT ?? 3000);
  httpServer.listen(port, () => console.log(`Switchyard ${title}: http://localhost:${port}/`));
  const stop = async () => {
    await io.close();
    httpServer.close(() => process.exit(0));
    httpServer.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
