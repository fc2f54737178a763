import type { io as connectV4 } from 'socket.io-client';
import { type ClientGeneration, loadClient, managerOptions, patienceOf } from './client-generation.js';

/** socket.io-client 4.x (Engine.IO v4, Socket.IO v5): `socket.io-client` in the devDependencies. */
export const socketIoClientV4: ClientGeneration = {
  name: 'socket.io-client@4',
  upgrades: true,
  sendsHeaders: true,
  async connect(options) {
    const { io } = (await loadClient('socket.io-client', '"socket.io-client": "^4"')) as { io: typeof connectV4 };
    const socket = io(options.url, managerOptions(options));
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('connect_error');
        resolve({
          emit: (event, ...args) => void socket.emit(event, ...args),
          ask: (event, ...args) => socket.timeout(patienceOf(options)).emitWithAck(event, ...args),
          on: (event, listener) => void socket.on(event, listener as (...args: unknown[]) => void),
          once: (event, listener) => void socket.once(event, listener as (...args: unknown[]) => void),
          get connected() {
            return socket.connected;
          },
          transport: () => socket.io.engine.transport.name,
          disconnected,
          close: () => socket.close(),
        });
      });
      socket.once('connect_error', (err: Error) => {
        socket.close();
        reject(err);
      });
    });
  },
};
