import { callbackClient, type ClientGeneration, type GenerationConnectOptions, loadClient, patienceOf } from './client-generation.js';

type Listener = (...args: never[]) => void;

/** The connection under the 0.9 client's namespace sockets (`io.Socket`), as far as the suites use it. */
interface V09Manager {
  connected: boolean;
  connecting: boolean;
  transport: { name: string } | undefined;
  options: Record<string, unknown>;
  disconnect(): void;
}

/** A namespace socket of the 0.9 client. */
interface V09Socket {
  socket: V09Manager;
  emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
}

interface V09Module {
  /** The transports a new connection tries, in order. */
  transports: string[];
  connect(url: string, options: Record<string, unknown>): V09Socket;
}

/** The 0.9 names of the suites' transports: its Node build speaks `websocket` and `xhr-polling`. */
const TRANSPORT_NAMES = { polling: 'xhr-polling', websocket: 'websocket' } as const;

/** Ends the connection for good: the 0.9 client reconnects (or throws) on a dropped connection unless told not to. */
function stop(manager: V09Manager): void {
  manager.options.reconnect = false;
  // Before a transport exists (a refused handshake) there is nothing to disconnect, and `disconnect` would throw.
  if (manager.transport === undefined) manager.connecting = false;
  else if (manager.connected || manager.connecting) manager.disconnect();
}

/**
 * socket.io-client 0.9.16 (the 0.9 protocol under `<path>/1/`), installed under the alias
 * `"socket.io-client-v09": "npm:socket.io-client@0.9.16"`. It cannot upgrade (it falls back from one
 * transport to the next), and its Node build cannot set request headers, so the cases that need them
 * skip it.
 */
export const socketIoClientV09: ClientGeneration = {
  name: 'socket.io-client@0.9.16',
  upgrades: false,
  sendsHeaders: false,
  async connect(options: GenerationConnectOptions) {
    if (options.headers !== undefined) throw new Error('socket.io-client@0.9.16 cannot send request headers in Node (sendsHeaders is false)');
    const loaded = (await loadClient('socket.io-client-v09', '"socket.io-client-v09": "npm:socket.io-client@0.9.16"')) as { default: V09Module };
    const io = loaded.default;
    // A `transports` option is merged into the shared default list index by index (and changes it): each
    // connection gets a list of its own instead, taken when the connection is made.
    io.transports = options.transports.map((name) => TRANSPORT_NAMES[name]);
    const socket = io.connect(options.url, {
      resource: options.path.replace(/^\/|\/$/g, ''),
      'force new connection': true,
      reconnect: options.reconnect === true,
      ...(options.reconnect === true && { 'reconnection delay': 100 }),
      'connect timeout': patienceOf(options),
      ...(options.query !== undefined && { query: new URLSearchParams(options.query).toString() }),
    });
    const manager = socket.socket;
    // The namespace socket has no state of its own: follow its events (it sees `connect` again on a reconnection).
    let connected = false;
    socket.on('connect', () => (connected = true));
    socket.on('disconnect', () => (connected = false));
    return new Promise((resolve, reject) => {
      const fail = (reason: unknown): void => {
        stop(manager);
        reject(new Error(`socket.io-client@0.9.16 could not connect: ${String(reason)}`));
      };
      const failed = (): void => fail('no transport connected');
      socket.once('error', fail);
      socket.once('connect_failed', failed);
      socket.once('connect', () => {
        socket.removeListener('error', fail);
        socket.removeListener('connect_failed', failed);
        resolve(
          callbackClient(socket, options, {
            connected: () => connected,
            transport: () => (manager.transport?.name === 'xhr-polling' ? 'polling' : (manager.transport?.name ?? '')),
            close: () => stop(manager),
          }),
        );
      });
    });
  },
};
