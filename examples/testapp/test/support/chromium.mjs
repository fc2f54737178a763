// Headless Chromium for the example pages' tests: the system's Chromium (never a downloaded one), the
// decision to skip when there is none (a failure on CI), and a watch on a page's console and errors.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether Chromium is there for `suite`'s tests. Without it, warns that they are skipped, or throws on CI
 * (CI=true), where a missing Chromium fails the run.
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
 * Keeps every console error and uncaught error of `page` (a failed resource load, such as a missing
 * favicon, is a console error too); `check()` throws them all in one error.
 */
export function watchPage(page, name = 'page') {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url ?? ''})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return {
    problems,
    check() {
      if (problems.length > 0) throw new Error(`${name} reported:\n${problems.join('\n')}`);
    },
  };
}

/**
 * One user of an example page: a browser context of their own (their own cookies and connections), its
 * page watched, loaded from `url` and waited for until its status pill says connected.
 */
export async function openUser(browser, url, name) {
  const context = await browser.newContext({ viewport: { width: 900, height: 760 }, colorScheme: 'light' });
  const page = await context.newPage();
  const watch = watchPage(page, name);
  await page.goto(url);
  await page.locator('.status.connected').waitFor();
  return { context, page, watch };
}
