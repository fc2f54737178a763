// Two readers of the feed in headless Chromium, each in a browser context of their own: both see the
// server's request log, each other's notes and lines appended to the file by hand; Bob's filter holds,
// also after the server dropped his connection; and each page's tail (its job, and the file handle the
// job holds) is gone from the server once the page leaves. Any console error or uncaught error on either
// page fails the test. A screenshot goes to test-results/screenshot.png.
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { chromiumAvailable, launchBrowser, openUser, visit } from 'switchyard-example-testapp/test/support/browser.mjs';
import { startServer } from 'switchyard-example-testapp/test/support/start-app.mjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFeedApp } from '../app.mjs';
import { tempFeedFile } from './feed-file.mjs';

const available = chromiumAvailable('stream-feed browser test');
const results = new URL('../test-results/', import.meta.url);

/** How many file descriptors of this process point at `file` (Linux's /proc), or null elsewhere. */
function handlesOn(file) {
  if (!existsSync('/proc/self/fd')) return null;
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) count++;
    } catch {
      // closed while we looked
    }
  }
  return count;
}

describe.skipIf(!available)('stream feed in Chromium', () => {
  let feed;
  let file;
  let app;
  let server;
  let browser;
  beforeAll(async () => {
    feed = await tempFeedFile();
    file = feed.file;
    app = createFeedApp({ file });
    server = await startServer(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await app?.written();
    await feed?.remove();
  });

  const lines = (page) => page.locator('#lines li').allTextContents();
  /** Waits until the page's feed has a line containing `text`. */
  const sees = (page, text) => page.locator('#lines li', { hasText: text }).first().waitFor();
  const post = async (page, text) => {
    await page.fill('#post', text);
    await page.click('#post-form button');
  };
  /** The file's tails and open handles, once every pending write to it is done. */
  const openOnServer = async () => {
    await app.written();
    return { tails: app.tails.size, handles: handlesOn(file) };
  };
  const expectOpen = (count) => vi.waitFor(async () => expect(await openOnServer()).toEqual({ tails: count, handles: handlesOn(file) === null ? null : count }));

  it('streams the log to two readers, each through a job that ends when its page leaves', async () => {
    const ada = await visit(await openUser(browser, 'Ada'), server.url);
    await expectOpen(1);
    // Her own page load is in the server's request log, and so in her feed.
    await sees(ada.page, 'GET / 200');
    const bob = await visit(await openUser(browser, 'Bob'), server.url);
    try {
      await expectOpen(2);
      for (const { page } of [ada, bob]) await expect.poll(() => page.locator('#readers').textContent()).toBe('2');
      expect(await ada.page.locator('#file').textContent()).toBe(file);

      await post(ada.page, 'hello from Ada');
      for (const { page } of [ada, bob]) await sees(page, 'note: hello from Ada');
      await appendFile(file, 'appended by hand ✓\n');
      for (const { page } of [ada, bob]) await sees(page, 'appended by hand ✓');
      const longWord = 'Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen'.repeat(3);
      await post(bob.page, longWord);
      await sees(ada.page, longWord);
      expect(await ada.page.$eval('#lines', (list) => list.scrollWidth <= list.clientWidth)).toBe(true);

      // Bob keeps only notes: the backlog is filtered again, and so is what comes next.
      await bob.page.fill('#filter', 'note');
      await bob.page.click('#filter-form button');
      await expect.poll(() => bob.page.locator('#current-filter').textContent()).toBe('note');
      await appendFile(file, 'no match here\n');
      await post(ada.page, 'second note');
      await sees(bob.page, 'second note');
      await sees(ada.page, 'no match here');
      expect((await lines(bob.page)).every((line) => line.toLowerCase().includes('note'))).toBe(true);
      await mkdir(results, { recursive: true });
      await ada.page.screenshot({ path: new URL('screenshot.png', results).pathname });

      // The server drops Bob's connection: his page reconnects and gives its filter again; the old job's
      // tail is closed and the new connection's opened.
      // The page's socket is a top-level `const feed`, reachable by name from the page's global scope.
      const bobId = await bob.page.evaluate('feed.id');
      expect(server.io.of('/feed').sockets.has(bobId)).toBe(true);
      server.io.of('/feed').sockets.get(bobId).conn.close();
      await bob.page.locator('.status.disconnected, .status.connecting').first().waitFor();
      await bob.page.locator('.status.connected').waitFor();
      await expectOpen(2);
      await appendFile(file, 'still no match\n');
      await post(ada.page, 'third note');
      await sees(bob.page, 'third note');
      await sees(ada.page, 'still no match');
      expect(await lines(bob.page)).not.toContainEqual(expect.stringContaining('still no match'));

      // Bob leaves: his job stops, its tail closes its file handle, and Ada sees one reader left.
      await bob.close();
      await expectOpen(1);
      await expect.poll(() => ada.page.locator('#readers').textContent()).toBe('1');
      ada.check();
      bob.check();
    } finally {
      await ada.close();
      await bob.close();
    }
    await expectOpen(0);
  });
});
