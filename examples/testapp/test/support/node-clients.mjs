// A generation's Node client driven through its operations: `connect`, `refused` and `close` for one
// test, on one transport.
import { next, sleep } from './client-ops.mjs';
import { testClient } from './test-client.mjs';

export function nodeClients(generation, transport, url) {
  const { ops } = generation;
  const kit = { io: generation.library(), next, sleep };
  const opened = new Set();
  const open = (nsp, auth) => {
    const socket = ops.open(kit, url, nsp, transport, auth);
    opened.add(socket);
    return socket;
  };
  return {
    /** A client connected to `nsp` (and upgraded when its transport ends on websocket). */
    async connect(nsp = '/', { auth } = {}) {
      const socket = open(nsp, auth);
      await ops.connected(kit, socket, transport);
      return testClient({
        call: async (op, ...args) => ops[op](kit, socket, ...args),
        on: (event, listener) => socket.on(event, listener),
        id: ops.socketId(kit, socket),
        sessionId: ops.sessionId(kit, socket),
      });
    },
    /** Resolves with the reason the server gave for refusing a connection to `nsp`. */
    refused: (nsp, { auth } = {}) => ops.refusal(kit, open(nsp, auth)),
    async close() {
      for (const socket of opened) ops.close(kit, socket);
      opened.clear();
    },
  };
}
