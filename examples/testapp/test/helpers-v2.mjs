// socket.io-client@2.5.0 (installed as `socket.io-client-v2`) against the test application: the 2.x
// generation speaks Engine.IO v3 and Socket.IO v4 and has no emitWithAck, so acks go through `ack()`.
import { createRequire } from 'node:module';
import { once } from './helpers.mjs';

const require = createRequire(import.meta.url);
const connectV2 = require('socket.io-client-v2');

/** The three ways a socket.io-client@2 reaches the server. */
export const V2_TRANSPORT_PATHS = [
  { name: 'websocket', options: { transports: ['websocket'] }, finalTransport: 'websocket' },
  { name: 'polling', options: { transports: ['polling'] }, finalTransport: 'polling' },
  { name: 'polling→websocket', options: { transports: ['polling', 'websocket'] }, finalTransport: 'websocket' },
];

/** 2.x clients for the app at `url`, all closed by `closeAll()`. */
export function v2Clients(url) {
  const clients = new Set();
  return {
    client(nsp = '/', options = {}) {
      const socket = connectV2(url + nsp, { forceNew: true, reconnection: false, ...options });
      clients.add(socket);
      return socket;
    },
    closeAll() {
      for (const socket of clients) socket.close();
      clients.clear();
    },
  };
}

/** Emits with an acknowledgement and resolves with its arguments. */
export function ack(socket, event, ...args) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for "${event}" within 5000 ms`)), 5000);
    socket.emit(event, ...args, (...answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** Waits until a 2.x client is connected and, when it should end on websocket, upgraded. */
export async function connectedV2(socket, finalTransport) {
  if (!socket.connected) {
    await new Promise((resolve, reject) => {
      const events = { connect: null, error: 'error', connect_error: 'connect_error' };
      const listeners = {};
      const timer = setTimeout(() => finish(new Error('no "connect" within 5000 ms')), 5000);
      const finish = (err) => {
        clearTimeout(timer);
        for (const [event, listener] of Object.entries(listeners)) socket.off(event, listener);
        if (err) reject(err);
        else resolve();
      };
      for (const [event, failure] of Object.entries(events)) {
        listeners[event] = (detail) => finish(failure === null ? undefined : new Error(`${failure}: ${JSON.stringify(detail)}`));
        socket.on(event, listeners[event]);
      }
    });
  }
  const engine = socket.io.engine;
  if (finalTransport === 'websocket' && engine.transport.name !== 'websocket') await once(engine, 'upgrade');
  return socket;
}
