// run-suites.mjs copies this file over each official suite's own node-imports.js; its imports resolve
// in the suite's folder after `npm ci`, not in this repository.
//
// The suites await one websocket `message` event and only then listen for the next one. ws emits every
// frame of a TCP read synchronously, so when two frames come in one read the second reaches no listener
// and the test hangs. This WebSocket hands `message` (and the `close` behind it) to listeners one per
// macrotask, so every promise continuation of a test runs between two of them.
import fetch from 'node-fetch';
import { WebSocket } from 'ws';
import chai from 'chai';
import chaiString from 'chai-string';

const queued = new Set(['message', 'close']);

class PacedWebSocket extends WebSocket {
  #tail = Promise.resolve();

  emit(name, ...args) {
    if (!queued.has(name)) return super.emit(name, ...args);
    this.#tail = this.#tail
      .then(() => new Promise((resolve) => setImmediate(resolve)))
      .then(() => {
        try {
          super.emit(name, ...args);
        } catch (error) {
          // as with ws itself, a throwing listener is an uncaught exception (mocha reports it)
          setImmediate(() => {
            throw error;
          });
        }
      });
    return true;
  }
}

chai.use(chaiString);
globalThis.fetch = fetch;
globalThis.WebSocket = PacedWebSocket;
globalThis.chai = chai;
