// Headless Chromium for every example's page test, in one place: the launch, a watch on each page that
// fails the test on any console error or uncaught page error, screenshots into the example's gitignored
// test-results/, and a TCP relay in front of a server whose `drop()` cuts every connection, so a test can
// force the page to reconnect without restarting the server.
import { existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'];

/**
 * Whether Chromium is there to run `what`. Without it the caller skips, after a message; under CI=true a
 * missing Chromium is an error instead.
 */
export function chromiumAvailable(what) {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium is required on CI but there is none at ${CHROMIUM} (set CHROMIUM_PATH)`);
  console.warn(`[${what}] skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return false;
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * A user of an example page, in a browser context of its own (its own cookies and connections, as two
 * people would be). Every console error and page error is kept; `check()` throws them all in one error.
 * While `tolerating(pattern, fn)` runs, console errors matching `pattern` are expected (a server stopped on
 * purpose makes Chromium log each refused request) and are not kept.
 */
export async function openUser(browser, name) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const page = await context.newPage();
  const problems = [];
  let tolerated = null;
  page.on('console', (message) => {
    if (message.type() !== 'error' || tolerated?.test(message.text())) return;
    problems.push(`console error: ${message.text()} (${message.location().url ?? ''})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return {
    name,
    page,
    async tolerating(pattern, fn) {
      tolerated = pattern;
      try {
        return await fn();
      } finally {
        tolerated = null;
      }
    },
    check() {
      if (problems.length > 0) throw new Error(`${name}'s page reported:\n${problems.join('\n')}`);
    },
    close: () => context.close(),
  };
}

/** Loads `url` in `user`'s page and waits until its status pill (switchyard.css's `.status`) says connected. */
export async function visit(user, url) {
  await user.page.goto(url);
  await user.page.locator('.status.connected').waitFor();
  return user;
}

/** Saves a screenshot of `page` as `<dir>/test-results/<name>.png` and returns its path. */
export async function saveScreenshot(page, dir, name) {
  const folder = new URL('test-results/', dir);
  mkdirSync(folder, { recursive: true });
  const path = new URL(`${name}.png`, folder).pathname;
  await page.screenshot({ path });
  return path;
}

/** A TCP relay on 127.0.0.1 to `port`: `url`, `drop()` cuts every connection through it, `close()`. */
export async function startRelay(port) {
  const pairs = new Set();
  const relay = createServer((client) => {
    const server = connect(port, '127.0.0.1');
    const pair = [client, server];
    pairs.add(pair);
    client.pipe(server).pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  return {
    url: `http://127.0.0.1:${relay.address().port}`,
    drop() {
      for (const pair of pairs) for (const socket of pair) socket.destroy();
    },
    async close() {
      this.drop();
      await new Promise((resolve) => relay.close(resolve));
    },
  };
}
