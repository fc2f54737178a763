import { io as connect } from 'socket.io-client';
import { createTestApp } from '../app.mjs';

/** The three ways a socket.io-client@4 reaches the server. */
export const TRANSPORT_PATHS = [
  { name: 'websocket', options: { transports: ['websocket'] }, finalTransport: 'websocket' },
  { name: 'polling', options: { transports: ['polling'] }, finalTransport: 'polling' },
  { name: 'polling→websocket', options: { transports: ['polling', 'websocket'] }, finalTransport: 'websocket' },
];

/** Starts the test application on 127.0.0.1 and returns a way to open clients and to stop it all. */
export async function startTestApp(serverOptions = {}) {
  const { httpServer, io } = createTestApp(serverOptions);
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${httpServer.address().port}`;
  const clients = new Set();
  return {
    io,
    url,
    client(nsp = '/', options = {}) {
      const socket = connect(url + nsp, { forceNew: true, reconnection: false, ...options });
      clients.add(socket);
      return socket;
    },
    async stop() {
      for (const socket of clients) socket.disconnect();
      await io.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}

/** Resolves with the arguments of the next `event` on `emitter`; rejects after `ms`. */
export function once(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Waits until a client is connected and, when it should end on websocket, upgraded. */
export async function connected(socket, finalTransport) {
  if (!socket.connected) await once(socket, 'connect');
  const engine = socket.io.engine;
  if (finalTransport === 'websocket' && engine.transport.name !== 'websocket') await once(engine, 'upgrade');
  return socket;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
