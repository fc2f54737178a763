// What a test does with a client, written once for every place a client lives. Each function here is
// self-contained — it uses only its parameters and the globals Node and a browser share — because the
// browser tests send its source text into a page, where it drives the official browser bundle exactly as
// it drives the Node build in Node. `kit` is `{ io, next, sleep }`: the client library and the helpers below.

/** Resolves with the arguments of the next `event` of a client-side emitter; rejects on a `failOn` event or after `ms`. */
export function next(emitter, event, { ms = 5000, failOn = [] } = {}) {
  return new Promise((resolve, reject) => {
    const listening = [];
    const finish = (settle, value) => {
      clearTimeout(timer);
      for (const [name, listener] of listening) emitter.removeListener(name, listener);
      settle(value);
    };
    const listen = (name, listener) => {
      listening.push([name, listener]);
      emitter.on(name, listener);
    };
    const timer = setTimeout(() => finish(reject, new Error(`no "${event}" within ${ms} ms`)), ms);
    listen(event, (...args) => finish(resolve, args));
    for (const name of failOn) {
      listen(name, (detail) => finish(reject, new Error(`${name}: ${detail?.message ?? JSON.stringify(detail)}`)));
    }
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The operations every generation's client has in common: an event emitter whose `emit` takes a trailing
 * callback for the acknowledgement, and `send` for the `message` event. A generation adds `open`,
 * `connected`, `refusal`, `transportName`, `sessionId`, `socketId`, `disconnect` and `close`.
 */
export const COMMON_OPS = {
  emit: (kit, socket, event, ...args) => {
    socket.emit(event, ...args);
  },
  send: (kit, socket, ...args) => {
    socket.send(...args);
  },
  /** Resolves with every argument of the acknowledgement. */
  emitWithAck: (kit, socket, event, ...args) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for "${event}" within 5000 ms`)), 5000);
      socket.emit(event, ...args, (...answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    }),
  next: (kit, socket, event, ms) => kit.next(socket, event, { ms }),
};
