// socket.io-client 4.x: Engine.IO v4 and Socket.IO v5, `auth` in the CONNECT packet, `connect_error`.
import { createRequire } from 'node:module';
import { COMMON_OPS } from '../support/client-ops.mjs';

const require = createRequire(import.meta.url);

/** How a socket.io-client@4 (or @2, which takes the same options) reaches the server. */
export const ENGINE_IO_TRANSPORTS = [
  { name: 'websocket', options: { transports: ['websocket'] }, final: 'websocket' },
  { name: 'polling', options: { transports: ['polling'] }, final: 'polling' },
  { name: 'polling→websocket', options: { transports: ['polling', 'websocket'] }, final: 'websocket' },
];

/** Operations on a socket of engine.io-client's generations (2.x and 4.x). */
export const ENGINE_IO_OPS = {
  ...COMMON_OPS,
  connected: async (kit, socket, transport) => {
    if (!socket.connected) await kit.next(socket, 'connect', { failOn: ['connect_error', 'error'] });
    const engine = socket.io.engine;
    if (transport.final === 'websocket' && engine.transport.name !== 'websocket') await kit.next(engine, 'upgrade');
  },
  transportName: (kit, socket) => socket.io.engine.transport.name,
  sessionId: (kit, socket) => socket.io.engine.id,
  socketId: (kit, socket) => socket.id,
  disconnect: (kit, socket) => {
    socket.disconnect();
  },
  close: (kit, socket) => {
    socket.disconnect();
  },
};

export const V4 = {
  key: '4.x',
  title: 'socket.io-client@4',
  /** `socket.conn.protocol` on the server. */
  protocol: 4,
  transports: ENGINE_IO_TRANSPORTS,
  library: () => require('socket.io-client').io,
  /** The browser bundle, as the server's `serveClient` hands it out. */
  browser: { script: '/socket.io/socket.io.js', transports: ENGINE_IO_TRANSPORTS.slice(0, 2) },
  ops: {
    ...ENGINE_IO_OPS,
    open: (kit, url, nsp, transport, auth) =>
      kit.io(url + nsp, { forceNew: true, reconnection: false, ...transport.options, ...(auth !== undefined && { auth }) }),
    /** 4.x acks through its own timeout API: the callback gets an error first. */
    emitWithAck: (kit, socket, event, ...args) =>
      new Promise((resolve, reject) => {
        socket.timeout(5000).emit(event, ...args, (err, ...answer) => (err ? reject(err) : resolve(answer)));
      }),
    /** The promise API only 4.x has: resolves with the first argument of the acknowledgement. */
    promiseAck: (kit, socket, event, ...args) => socket.timeout(5000).emitWithAck(event, ...args),
    refusal: async (kit, socket) => (await kit.next(socket, 'connect_error'))[0].message,
  },
};
