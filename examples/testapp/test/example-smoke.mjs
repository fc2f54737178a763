// A smoke run of a framework example (examples/<name>): start `server.mjs` on a free port, check the
// framework's own /health and chat page, sign in through the framework (GET /login) and see `/me` read that
// session over polling and websocket, join `/chat`, then stop the process with a client still connected.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { io as connect } from 'socket.io-client';

/** A port nothing listens on right now. */
export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first event among `events` on a socket.io client: [name, ...args]. */
function first(socket, events) {
  return new Promise((resolve) => {
    for (const event of events) socket.once(event, (...args) => resolve([event, ...args]));
  });
}

/** The sign-in cookie with one character changed in the middle of every value. */
export function tampered(cookie) {
  return cookie
    .split('; ')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const at = eq + 1 + Math.floor((pair.length - eq - 1) / 2);
      return pair.slice(0, at) + (pair[at] === 'x' ? 'y' : 'x') + pair.slice(at + 1);
    })
    .join('; ');
}

/**
 * `forge(cookie)`, given the cookie the framework set at sign-in, returns forged cookie headers that
 * `/me` must refuse. Default: the cookie tampered with.
 */
export async function smokeExample(dir, { startTimeoutMs = 120_000, forge = (cookie) => [tampered(cookie)] } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: fileURLToPath(dir),
    env: { ...process.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  const base = `http://127.0.0.1:${port}`;
  const clients = [];
  const client = (nsp, options = {}) => {
    const socket = connect(base + nsp, { forceNew: true, reconnection: false, ...options });
    clients.push(socket);
    return socket;
  };
  try {
    for (const deadline = Date.now() + startTimeoutMs; ; await sleep(200)) {
      const health = await fetch(`${base}/health`).catch(() => undefined);
      if (health !== undefined) {
        deepStrictEqual([health.status, await health.text()], [200, 'ok']);
        break;
      }
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the example did not start:\n${output}`);
    }
    const page = await fetch(`${base}/`);
    strictEqual(page.status, 200);
    ok((await page.text()).includes('Switchyard chat'));
    const bundle = await fetch(`${base}/socket.io/socket.io.min.js`);
    strictEqual(bundle.status, 200);
    await bundle.arrayBuffer();

    const [refused, err] = await first(client('/me', { transports: ['websocket'] }), ['connect_error', 'hello']);
    deepStrictEqual([refused, err.message], ['connect_error', 'not signed in']);
    const login = await fetch(`${base}/login?name=ada`, { redirect: 'manual' });
    ok(login.status >= 300 && login.status < 400, `login answered ${login.status}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    for (const transports of [['polling'], ['websocket']]) {
      deepStrictEqual(await first(client('/me', { transports, extraHeaders: { cookie } }), ['connect_error', 'hello']), ['hello', 'ada']);
    }
    for (const forged of forge(cookie)) {
      const [event, answer] = await first(client('/me', { transports: ['polling'], extraHeaders: { cookie: forged } }), ['connect_error', 'hello']);
      deepStrictEqual([event, event === 'hello' ? answer : answer.message], ['connect_error', 'not signed in'], `forged cookie ${forged}`);
    }
    const chat = client('/chat');
    strictEqual(await chat.timeout(5000).emitWithAck('login', 'ada'), true);

    const gone = once(chat, 'disconnect');
    child.kill('SIGTERM');
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(() => resolve(['no exit within 10 s']), 10_000)));
    const [code] = await Promise.race([exited, late]);
    clearTimeout(timer);
    strictEqual(code, 0, output);
    await gone;
  } finally {
    for (const socket of clients) socket.close();
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
