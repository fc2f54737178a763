// Two users chat in headless Chromium: Ada and Bob, each in a browser context of their own, load the
// page the server serves, pick nicknames, see each other in the user list, talk, survive a dropped
// connection (the page joins again by itself) and see each other leave. Both on socket.io-client 4.x
// first, then Ada on 0.9.16 and Bob on 2.5.0 (the page's `?client=`), in the same chat. Any console
// error or uncaught error on either page fails the test. The 4.x run's screenshot goes to
// test-results/screenshot.png.
import { mkdir } from 'node:fs/promises';
import { chromiumAvailable, openUser, visit } from 'switchyard-example-testapp/test/support/browser.mjs';
import { appInChromium } from 'switchyard-example-testapp/test/support/start-app.mjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatApp } from '../app.mjs';

const available = chromiumAvailable('simple-chat browser test');
const results = new URL('../test-results/', import.meta.url);

describe.skipIf(!available)('simple chat in Chromium', () => {
  const running = appInChromium({ beforeAll, afterAll }, createChatApp);

  const users = (page) => page.locator('#users li').allTextContents();
  const lines = (page) => page.locator('#messages li').allTextContents();
  const join = async (page, nickname) => {
    await page.fill('#nickname', nickname);
    await page.click('#join-form button');
  };
  const say = async (page, text) => {
    await page.fill('#text', text);
    await page.click('#say button');
  };
  /** Waits until the page's messages include a line containing `text`. */
  const sees = (page, text) => page.locator('#messages li', { hasText: text }).first().waitFor();

  it.each([
    { ada: '4', bob: '4', screenshot: 'screenshot.png' },
    { ada: '0.9', bob: '2', screenshot: 'screenshot-0.9-and-2.png' },
  ])('lets two users ($ada and $bob) chat, rejoin after a dropped connection and see each other leave', async (clients) => {
    const ada = await visit(await openUser(running.browser, 'Ada'), `${running.server.url}/?client=${clients.ada}`);
    const bob = await visit(await openUser(running.browser, 'Bob'), `${running.server.url}/?client=${clients.bob}`);
    try {
      await join(ada.page, 'ada');
      await ada.page.locator('#say').waitFor();
      expect(await ada.page.isHidden('#join')).toBe(true);
      await expect.poll(() => users(bob.page)).toEqual(['ada']);

      // A nickname is taken whatever its case, and the refusal is shown.
      await join(bob.page, 'ADA');
      await bob.page.locator('#join-error', { hasText: 'taken' }).waitFor();
      await join(bob.page, 'bob');
      await bob.page.locator('#say').waitFor();
      await sees(ada.page, 'bob joined');
      await expect.poll(() => users(ada.page)).toEqual(['ada', 'bob']);
      await expect.poll(() => users(bob.page)).toEqual(['ada', 'bob']);
      expect(await bob.page.locator('#users li.me').textContent()).toBe('bob');

      await say(ada.page, 'Hello Bob!');
      await sees(bob.page, 'Hello Bob!');
      expect(await bob.page.locator('#messages li', { hasText: 'Hello Bob!' }).locator('.who').textContent()).toBe('ada');
      const longWord = 'Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz'.repeat(3);
      await say(bob.page, longWord);
      await sees(ada.page, longWord);
      // A long word wraps inside the message list instead of widening it.
      expect(await ada.page.$eval('#messages', (log) => log.scrollWidth <= log.clientWidth)).toBe(true);

      // The network drops under both (their TCP connections end without a word): each page says so,
      // reconnects and gives its nickname again, and both may talk as before.
      for (const { page } of [ada, bob]) await page.locator('#status', { hasText: 'websocket' }).waitFor();
      running.server.cutConnections();
      for (const [{ page }, name] of [
        [ada, 'ada'],
        [bob, 'bob'],
      ]) {
        await sees(page, 'Connection lost');
        await sees(page, `Reconnected as ${name}`);
        await page.locator('#status.connected').waitFor();
        await expect.poll(() => users(page)).toEqual(['ada', 'bob']);
      }
      await say(ada.page, 'Back again, still allowed to talk');
      await sees(bob.page, 'Back again, still allowed to talk');
      await say(bob.page, 'So am I');
      await sees(ada.page, 'So am I');
      expect(await lines(ada.page)).not.toContainEqual(expect.stringContaining('access'));

      await mkdir(results, { recursive: true });
      await ada.page.screenshot({ path: new URL(clients.screenshot, results).pathname });

      // Bob leaves: Ada is told and the list shrinks; the server forgets him.
      await bob.close();
      await sees(ada.page, 'bob left');
      await expect.poll(() => users(ada.page)).toEqual(['ada']);
      await vi.waitFor(() => expect([...running.app.lobby.members.values()].map((member) => member.name)).toEqual(['ada']));
      ada.check();
      bob.check();
    } finally {
      await ada.close();
      await bob.close();
    }
    await vi.waitFor(() => expect(running.app.lobby.members.size).toBe(0));
  });
});
