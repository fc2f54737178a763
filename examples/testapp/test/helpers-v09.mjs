import { createRequire } from 'node:module';
import { createTestApp } from '../app.mjs';

const require = createRequire(import.meta.url);
/** socket.io-client 0.9.16, its Node build (websocket and xhr-polling). */
const io09 = require('socket.io-client-v09');

export const V09_TRANSPORTS = ['websocket', 'xhr-polling'];

/** Starts the test application on 127.0.0.1 with a way to open 0.9 clients and to stop it all. */
export async function startTestApp09() {
  const { httpServer, io } = createTestApp();
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${httpServer.address().port}`;
  const managers = new Set();
  return {
    io,
    url,
    /** A namespace socket of a new 0.9 connection on one transport; `query` goes to its handshake. */
    client(nsp, transport, query) {
      // The client merges a `transports` option into its default list index by index: replace the list.
      io09.transports = [transport];
      const socket = io09.connect(url + (nsp === '/' ? '' : nsp), {
        'force new connection': true,
        reconnect: false,
        ...(query !== undefined && { query }),
      });
      managers.add(socket.socket);
      return socket;
    },
    async stop() {
      for (const manager of managers) {
        // A 0.9 client whose connection drops under it reconnects (or throws): stop it first.
        manager.options.reconnect = false;
        if (manager.connected) manager.disconnect();
      }
      await io.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}

/** Resolves with the arguments of the next `event` of a 0.9 emitter; rejects after `ms`. */
export function next(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const listener = (...args) => {
      clearTimeout(timer);
      resolve(args);
    };
    const timer = setTimeout(() => {
      emitter.removeListener(event, listener);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    emitter.once(event, listener);
  });
}

/** Emits with a callback and resolves with every argument of the acknowledgement. */
export function ask(socket, event, ...args) {
  return new Promise((resolve) => socket.emit(event, ...args, (...answer) => resolve(answer)));
}
