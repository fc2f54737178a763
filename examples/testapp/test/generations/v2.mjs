// socket.io-client 2.5.0: Engine.IO v3 and Socket.IO v4; a namespace's auth is its query and a refusal
// arrives as an `error` event.
import { createRequire } from 'node:module';
import { ENGINE_IO_OPS, ENGINE_IO_TRANSPORTS } from './v4.mjs';

const require = createRequire(import.meta.url);
const packageDir = require.resolve('socket.io-client-v2/package.json').slice(0, -'package.json'.length);

export const V2 = {
  key: '2.x',
  title: 'socket.io-client@2.5.0',
  protocol: 3,
  transports: ENGINE_IO_TRANSPORTS,
  library: () => require('socket.io-client-v2'),
  browser: {
    file: `${packageDir}dist/socket.io.js`,
    transports: [
      { name: 'websocket', options: { transports: ['websocket'] }, final: 'websocket' },
      { name: 'polling', options: { transports: ['polling'] }, final: 'polling' },
      // JSONP is polling to the server too; its requests carry `j=<index>`.
      { name: 'JSONP polling (forceJSONP)', options: { transports: ['polling'], forceJSONP: true }, final: 'polling', request: /[?&]j=\d+/ },
    ],
  },
  ops: {
    ...ENGINE_IO_OPS,
    open: (kit, url, nsp, transport, auth) =>
      kit.io(url + nsp, { forceNew: true, reconnection: false, ...transport.options, ...(auth !== undefined && { query: auth }) }),
    refusal: async (kit, socket) => (await kit.next(socket, 'error'))[0],
  },
};
