import { callbackClient, type ClientGeneration, loadClient, managerOptions } from './client-generation.js';

type Listener = (...args: never[]) => void;

/** socket.io-client 2.x's socket, as far as the suites use it (the package ships no types). */
interface V2Socket {
  connected: boolean;
  io: { engine: { transport: { name: string } } };
  emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  off(event: string, listener?: Listener): unknown;
  close(): unknown;
}

type ConnectV2 = (url: string, options: Record<string, unknown>) => V2Socket;

/**
 * socket.io-client 2.5.0 (Engine.IO v3, Socket.IO v4), installed under the alias
 * `"socket.io-client-v2": "npm:socket.io-client@2.5.0"`. Its Node build sends `extraHeaders` on polling
 * requests and on the websocket handshake.
 */
export const socketIoClientV2: ClientGeneration = {
  name: 'socket.io-client@2.5.0',
  upgrades: true,
  sendsHeaders: true,
  async connect(options) {
    const loaded = (await loadClient('socket.io-client-v2', '"socket.io-client-v2": "npm:socket.io-client@2.5.0"')) as { default: ConnectV2 };
    const socket = loaded.default(options.url, managerOptions(options));
    return new Promise((resolve, reject) => {
      const fail = (err: unknown): void => {
        socket.off('connect');
        socket.close();
        reject(err instanceof Error ? err : new Error(`socket.io-client@2.5.0 refused: ${JSON.stringify(err)}`));
      };
      // A refused handshake or namespace comes as `connect_error`, `connect_timeout` or `error`.
      for (const event of ['connect_error', 'connect_timeout', 'error']) socket.once(event, fail);
      socket.once('connect', () => {
        for (const event of ['connect_error', 'connect_timeout', 'error']) socket.off(event, fail);
        resolve(
          callbackClient(socket, options, {
            connected: () => socket.connected,
            transport: () => socket.io.engine.transport.name,
            close: () => socket.close(),
          }),
        );
      });
    });
  },
};
