// Starts an example from its server.mjs: listens on PORT (default 3000), says where, and on Ctrl-C or
// SIGTERM closes the Socket.IO server (which tells every client) and then the http server.

/** `app` is what the example's factory returns: its http server and its Switchyard `io`. */
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
