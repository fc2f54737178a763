import { createTestApp } from '../../app.mjs';
import { launchBrowser } from './browser.mjs';

/** Starts the test application on 127.0.0.1; `stop()` closes it and every connection to it. */
export function startTestApp(serverOptions = {}) {
  return startServer(createTestApp(serverOptions));
}

/**
 * Listens with an app's http server on a free port of 127.0.0.1; `stop()` closes `io`, then the server.
 * `cutConnections()` ends every TCP connection to it, websockets included, without a word, as a network
 * failure would.
 */
export async function startServer({ httpServer, io }) {
  const connections = new Set();
  httpServer.on('connection', (connection) => {
    connections.add(connection);
    connection.once('close', () => connections.delete(connection));
  });
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    io,
    httpServer,
    url: `http://127.0.0.1:${httpServer.address().port}`,
    cutConnections() {
      for (const connection of connections) connection.destroy();
    },
    async stop() {
      await io.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}

/**
 * A browser suite's setup: before its tests, `createApp()` listening (startServer) and a Chromium; after
 * them, both closed. Returns `{ app, server, browser }`, filled in once `beforeAll` ran.
 */
export function appInChromium({ beforeAll, afterAll }, createApp) {
  const running = {};
  beforeAll(async () => {
    running.app = createApp();
    running.server = await startServer(running.app);
    running.browser = await launchBrowser();
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.server?.stop();
  });
  return running;
}
