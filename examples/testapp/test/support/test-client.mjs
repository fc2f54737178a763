// One face for a client wherever it lives: `call(op, ...args)` runs a generation's operation on it (in
// Node or in a page) and `on(event, listener)` hears its events. Every behaviour talks to this face.

/**
 * @param {object} client
 * @param {(op: string, ...args: unknown[]) => Promise<unknown>} client.call
 * @param {(event: string, listener: (...args: unknown[]) => void) => void} client.on
 * @param {string | null} client.id the socket id as the client knows it (null when it is never told)
 * @param {string} client.sessionId its connection's session id
 */
export function testClient({ call, on, id, sessionId }) {
  return {
    id,
    sessionId,
    emit: (event, ...args) => call('emit', event, ...args),
    /** Sends a `message` (what 0.9 calls a message packet). */
    send: (...args) => call('send', ...args),
    /** Resolves with every argument of the acknowledgement. */
    emitWithAck: (event, ...args) => call('emitWithAck', event, ...args),
    /** 4.x's own `emitWithAck`: the first argument of the acknowledgement. */
    promiseAck: (event, ...args) => call('promiseAck', event, ...args),
    on,
    /** The arguments of the next `event`. */
    next: (event, ms = 5000) => call('next', event, ms),
    transport: () => call('transportName'),
    disconnect: () => call('disconnect'),
  };
}
