// A smoke run of a framework example (examples/<name>): start `server.mjs` on a free port, check the
// framework's own /health, chat page and shared assets, sign in through the framework (GET /login) and see
// `/me` read that session over polling and websocket, drive the chat page in Chromium (two people, a cut
// connection, a re-login), join `/chat`, then stop the process with a client still connected.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { once } from 'node:events';
import { io as connect } from 'socket.io-client';
import { chromiumAvailable, launchBrowser, startRelay } from './support/browser.mjs';
import { checkChatPage } from './support/chat-page-check.mjs';
import { startExample } from './support/example-process.mjs';

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
 * `framework` is the name in the page's title. `forge(cookie)`, given the cookie the framework set at
 * sign-in, returns forged cookie headers that `/me` must refuse. Default: the cookie tampered with.
 */
export async function smokeExample(dir, { framework, startTimeoutMs, forge = (cookie) => [tampered(cookie)] }) {
  const example = await startExample(dir, { startTimeoutMs });
  const { base } = example;
  const clients = [];
  const client = (nsp, options = {}) => {
    const socket = connect(base + nsp, { forceNew: true, reconnection: false, ...options });
    clients.push(socket);
    return socket;
  };
  try {
    const health = await fetch(`${base}/health`);
    deepStrictEqual([health.status, await health.text()], [200, 'ok']);
    const page = await fetch(`${base}/`);
    strictEqual(page.status, 200);
    ok((await page.text()).includes(`Switchyard chat · ${framework}`));
    for (const path of ['/socket.io/socket.io.min.js', '/assets/switchyard.css', '/favicon.ico']) {
      const file = await fetch(`${base}${path}`);
      strictEqual(file.status, 200, path);
      await file.arrayBuffer();
    }

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
    if (chromiumAvailable(`${framework} chat page`)) await checkPage(example, { framework, dir });

    const chat = client('/chat');
    strictEqual(await chat.timeout(5000).emitWithAck('login', 'ada'), true);
    const gone = once(chat, 'disconnect');
    strictEqual(await example.stop(), 0, example.output());
    await gone;
  } finally {
    for (const socket of clients) socket.close();
    await example.stop();
  }
}

/** The chat page in Chromium, signed in through the framework, through a relay that cuts connections. */
async function checkPage(example, { framework, dir }) {
  const relay = await startRelay(example.port);
  const browser = await launchBrowser();
  try {
    await checkChatPage(browser, { relay, title: `Switchyard chat · ${framework}`, signIn: true, dir });
  } finally {
    await browser.close();
    await relay.close();
  }
}
