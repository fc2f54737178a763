// socket.io-client 0.9.16: the 0.9 protocol. One connection carries every namespace; auth is the
// handshake's query; a refusal is `connect_failed`. The Node build has websocket and xhr-polling.
import { createRequire } from 'node:module';
import { COMMON_OPS } from '../support/client-ops.mjs';

const require = createRequire(import.meta.url);
const packageDir = require.resolve('socket.io-client-v09/package.json').slice(0, -'package.json'.length);

const transport = (name) => ({ name, final: name });

export const V09 = {
  key: '0.9',
  title: 'socket.io-client@0.9.16',
  protocol: 1,
  transports: [transport('websocket'), transport('xhr-polling')],
  library: () => require('socket.io-client-v09'),
  browser: {
    file: `${packageDir}dist/socket.io.js`,
    transports: [transport('websocket'), transport('xhr-polling'), transport('jsonp-polling')],
  },
  ops: {
    ...COMMON_OPS,
    open: (kit, url, nsp, transport, auth) => {
      // The client merges a `transports` option into its defaults index by index: replace the defaults.
      kit.io.transports = [transport.name];
      const query =
        auth === undefined
          ? undefined
          : Object.entries(auth)
              .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
              .join('&');
      const options = { 'force new connection': true, reconnect: false, ...(query !== undefined && { query }) };
      return kit.io.connect(url + (nsp === '/' ? '' : nsp), options);
    },
    connected: (kit, socket) => kit.next(socket, 'connect', { failOn: ['connect_failed', 'error'] }),
    transportName: (kit, socket) => socket.socket.transport.name,
    sessionId: (kit, socket) => socket.socket.sessionid,
    /** A 0.9 client is never told the id of its socket in a namespace. */
    socketId: () => null,
    refusal: async (kit, socket) => (await kit.next(socket, 'connect_failed'))[0],
    disconnect: async (kit, socket) => {
      // A packet sent while a polling POST is in flight is buffered, and a disconnect drops the buffer:
      // wait until nothing is in flight.
      while (socket.socket.doBuffer) await kit.sleep(10);
      socket.disconnect();
    },
    close: (kit, socket) => {
      // A 0.9 client whose connection drops under it reconnects (or throws): stop it first.
      const manager = socket.socket;
      manager.options.reconnect = false;
      if (manager.connected) manager.disconnect();
    },
  },
};
