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

/** Bytes as plain data, to cross between Node and a page: `{ $bytes: [...] }`, anywhere in a value. */
export function toWire(value) {
  if (value instanceof ArrayBuffer) return { $bytes: Array.from(new Uint8Array(value)) };
  if (ArrayBuffer.isView(value)) return { $bytes: Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'function') return null;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  return value;
}

/** The reverse of `toWire`; `bytes(list)` makes the side's own byte type (a Buffer, a Uint8Array). */
export function fromWire(value, bytes) {
  if (Array.isArray(value)) return value.map((v) => fromWire(v, bytes));
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value.$bytes) && Object.keys(value).length === 1) return bytes(value.$bytes);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v, bytes)]));
}
