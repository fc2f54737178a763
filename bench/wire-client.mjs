// The lightweight websocket load client: one `ws` connection speaking just enough of each client
// generation's wire to join namespace `/`, answer heartbeats, count events and echo with an ack, so
// thousands of them cost the load process far less than as many client-library instances would.
//
//   generation  URL                                        ready after            event       echo + ack
//   v4 (4.x)    /socket.io/?EIO=4&transport=websocket     0{..}, sent 40, 40{..}  42[...]     421[..] → 431[..]
//   v3 (2.x)    /socket.io/?EIO=3&transport=websocket     0{..}, then 40          42[...]     421[..] → 431[..]
//   0.9         GET /socket.io/1/ → sid, /socket.io/1/websocket/<sid>   1::      5:::{..}    5:1+::{..} → 6:::1+[..]
//
// Heartbeats: v4 servers ping (`2`, answered `3`); v3 clients ping (`keepAlive` sends `2` to every
// v3 connection); 0.9 servers send `2::`, answered `2::`. The raw ws server greets with `0{}` and
// echoes frames, so it passes the v4 handshake unchanged.
import { get } from 'node:http';
import WebSocket from 'ws';

const CHAR_0 = 0x30;
const CHAR_1 = 0x31;
const CHAR_2 = 0x32;
const CHAR_4 = 0x34;
const CHAR_5 = 0x35;

/** Reads a 0.9 handshake (`GET /socket.io/1/`) and resolves with the session id. */
export function legacyHandshake(port, agent) {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: `/socket.io/1/?t=${Date.now()}`, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`0.9 handshake answered ${res.statusCode}: ${body.slice(0, 80)}`));
        else resolve(body.slice(0, body.indexOf(':')));
      });
    });
    req.on('error', reject);
  });
}

/** Each generation's wire: where to connect, when the namespace is joined, and its frames. */
export const wires = {
  v4: {
    url: async (port) => `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`,
    // 0 → send 40 → 40{…}
    step(data, ws) {
      if (data[0] === CHAR_0) return void ws.send('40');
      if (data[0] === CHAR_4 && data[1] === CHAR_0) return 'ready';
      if (data[0] === CHAR_4 && data[1] === CHAR_4) throw new Error(`namespace refused: ${String(data).slice(0, 80)}`);
    },
    ping: (data, ws) => data.length === 1 && data[0] === CHAR_2 && (ws.send('3'), true),
    isEvent: (data) => data[0] === CHAR_4 && data[1] === CHAR_2,
    echo: (payload) => `421${JSON.stringify(['echo', payload])}`,
    join: (room) => `42${JSON.stringify(['join', room])}`,
  },
  v3: {
    url: async (port) => `ws://127.0.0.1:${port}/socket.io/?EIO=3&transport=websocket`,
    // 0{…} → 40 (the server connects `/` on its own)
    step(data) {
      if (data[0] === CHAR_4 && data[1] === CHAR_0) return 'ready';
      if (data[0] === CHAR_4 && data[1] === CHAR_4) throw new Error(`namespace refused: ${String(data).slice(0, 80)}`);
    },
    ping: (data) => data.length === 1 && data[0] === 0x33, // our own pings' pongs
    isEvent: (data) => data[0] === CHAR_4 && data[1] === CHAR_2,
    echo: (payload) => `421${JSON.stringify(['echo', payload])}`,
    join: (room) => `42${JSON.stringify(['join', room])}`,
    clientPings: true,
  },
  '0.9': {
    url: async (port, agent) => `ws://127.0.0.1:${port}/socket.io/1/websocket/${await legacyHandshake(port, agent)}`,
    step: (data) => (data[0] === CHAR_1 ? 'ready' : undefined),
    ping: (data, ws) => data[0] === CHAR_2 && data[1] === 0x3a && (ws.send('2::'), true),
    isEvent: (data) => data[0] === CHAR_5,
    echo: (payload) => `5:1+::${JSON.stringify({ name: 'echo', args: [payload] })}`,
    join: (room) => `5:::${JSON.stringify({ name: 'join', args: [room] })}`,
  },
};

/**
 * Opens one connection of generation `gen` and resolves with the `ws` once namespace `/` is joined.
 * After that `onFrame(data)` sees every frame that is not a heartbeat (`data` is a Buffer).
 * Rejects on error, refusal, early close, or when the handshake takes longer than `timeoutMs`.
 */
export async function openWire(port, gen = 'v4', { onFrame = () => {}, timeoutMs = 10_000, agent } = {}) {
  const wire = wires[gen];
  const url = await wire.url(port, agent);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    ws.gen = gen;
    let ready = false;
    let failed = false;
    const fail = (err) => {
      if (ready || failed) return;
      failed = true;
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`handshake not done after ${timeoutMs} ms`)), timeoutMs);
    ws.on('error', fail);
    ws.on('close', (code) => fail(new Error(`closed during the handshake (${code})`)));
    ws.on('message', (data) => {
      if (wire.ping(data, ws)) return;
      if (ready) return onFrame(data);
      try {
        if (wire.step(data, ws) !== 'ready') return;
      } catch (err) {
        return fail(err);
      }
      ready = true;
      clearTimeout(timer);
      resolve(ws);
    });
  });
}

/** Sends the v3 client's ping to every v3 connection in `conns` every `everyMs`; returns a stop function. */
export function keepAlive(conns, everyMs = 10_000) {
  const timer = setInterval(() => {
    for (const ws of conns) if (ws.gen === 'v3' && ws.readyState === WebSocket.OPEN) ws.send('2');
  }, everyMs);
  return () => clearInterval(timer);
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
