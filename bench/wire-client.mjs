// The lightweight load client: one `ws` connection speaking just enough of the Engine.IO v4 /
// Socket.IO v5 wire to join namespace `/` and count events, so a thousand of them cost the load
// process far less than a thousand socket.io-client instances would.
//
//   server → `0{...}`        the open packet          client → `40`  (connect to `/`)
//   server → `40{"sid":..}`  the namespace connect    (`44{...}` is a refusal)
//   server → `2`             ping                     client → `3`
//   server → `42[...]`       an event                 counted through `onEvent`
//
// The raw ws server greets with `0{}` and echoes frames, so it passes the same handshake unchanged.
import WebSocket from 'ws';

const CHAR_0 = 0x30;
const CHAR_2 = 0x32;
const CHAR_4 = 0x34;

/** `ws://127.0.0.1:<port>/socket.io/?EIO=4&transport=websocket` */
export function wireUrl(port) {
  return `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;
}

/**
 * Opens one connection and resolves with the `ws` once the namespace handshake is done. After that,
 * `onFrame(data)` sees every frame that is not a ping (`data` is a Buffer); pings are answered here.
 * Rejects on error, refusal, early close, or when the handshake takes longer than `timeoutMs`.
 */
export function openWire(url, { onFrame = () => {}, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    let state = 'open-packet';
    const fail = (err) => {
      if (state === 'ready' || state === 'failed') return;
      state = 'failed';
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`handshake not done after ${timeoutMs} ms`)), timeoutMs);
    ws.on('error', fail);
    ws.on('close', (code) => fail(new Error(`closed during the handshake (${code})`)));
    ws.on('message', (data) => {
      if (state === 'ready') {
        if (data.length === 1 && data[0] === CHAR_2) ws.send('3');
        else onFrame(data);
      } else if (state === 'open-packet') {
        if (data[0] !== CHAR_0) return fail(new Error(`expected an open packet, got ${String(data).slice(0, 40)}`));
        state = 'namespace';
        ws.send('40');
      } else if (state === 'namespace') {
        if (data.length === 1 && data[0] === CHAR_2) return ws.send('3');
        if (data[0] !== CHAR_4 || data[1] !== CHAR_0) return fail(new Error(`namespace refused: ${String(data).slice(0, 80)}`));
        state = 'ready';
        clearTimeout(timer);
        resolve(ws);
      }
    });
  });
}

/** True for a Socket.IO EVENT packet (`42…`) on the main namespace. */
export function isEvent(data) {
  return data[0] === CHAR_4 && data[1] === CHAR_2;
}

/** Closes `ws` and resolves once it is closed, or after `timeoutMs` (then the socket is destroyed). */
export function closeWire(ws, timeoutMs = 5000) {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, timeoutMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close();
  });
}

/** Runs `task(i)` for i in [0, total) with at most `concurrency` in flight; resolves when all settled. */
export async function pool(total, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
