// Headless Chromium for the browser tests of the test application and of the example apps: the one
// launch (the system's Chromium, never a download) and, for the example apps, a user's page that fails the
// test on any console error or uncaught page error.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether Chromium is there. Without it a browser test is skipped with a message naming `suite`, except
 * on CI (CI=true), where a missing Chromium throws.
 */
export function chromiumAvailable(suite) {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium is required on CI but there is none at ${CHROMIUM} (set CHROMIUM_PATH)`);
  console.warn(`[${suite}] skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return false;
}

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
  });
}

/**
 * A user of an example page, in a browser context of its own (its own cookies and connections, as two
 * people would be). Every console error and page error is kept; `check()` throws the first one. While
 * `tolerating(pattern, fn)` runs, console errors matching `pattern` are expected (a server stopped on
 * purpose makes Chromium log each refused request) and are not kept.
 */
export async function openUser(browser, name) {
  const context = await browser.newContext({ viewport: { width: 900, height: 760 } });
  const page = await context.newPage();
  const errors = [];
  let tolerated = null;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (tolerated?.test(message.text())) return;
    errors.push(new Error(`${name}'s page logged: ${message.text()}`));
  });
  page.on('pageerror', (err) => errors.push(new Error(`${name}'s page threw: ${err.message}`)));
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
      if (errors.length > 0) throw errors[0];
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
