// The small parts of an example's own http server: its page, its 404, and its start-up from server.mjs.

/** Answers GET/HEAD `/` (and `/index.html`) with `page` (HTML) and returns true, or returns false. */
export function servePage(req, res, page) {
  const path = (req.url ?? '/').split('?')[0];
  if ((path !== '/' && path !== '/index.html') || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': page.length });
  res.end(req.method === 'HEAD' ? undefined : page);
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
