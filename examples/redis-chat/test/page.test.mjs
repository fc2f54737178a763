// The redis-chat page in headless Chromium, with two nodes over one Redis: ada talks to one node, bob to
// the other, both join one room (shown as the current one in the rooms list) and hear each other; then
// ada's connection is cut, her page shows it and comes back into the room, and her next message still
// reaches bob on the other node. Any console or page error fails the test. Skipped with a message without
// Chromium or without Redis, except on CI (CI=true).
import { strictEqual } from 'node:assert/strict';
import { test } from 'node:test';
import { chromiumAvailable, launchBrowser, openUser, saveScreenshot, startRelay } from 'switchyard-example-testapp/test/support/browser.mjs';
import { startExample } from 'switchyard-example-testapp/test/support/example-process.mjs';
import { REDIS_URL, redisAvailable, removeKeys, uniqueKey } from './redis.mjs';

const dir = new URL('../', import.meta.url);
const REDIS_KEY = uniqueKey();

const skip = !chromiumAvailable('redis-chat page') || !(await redisAvailable('redis-chat page'));

test('two people on two nodes chat in one room, and a cut connection comes back into it', { skip, timeout: 240_000 }, async () => {
  const room = 'lobby';
  const started = [];
  const closing = [];
  try {
    for (let i = 0; i < 2; i++) started.push(await startExample(dir, { env: { REDIS_URL, REDIS_KEY } }));
    const relay = await startRelay(started[0].port);
    closing.push(() => relay.close());
    const browser = await launchBrowser();
    closing.push(() => browser.close());

    const enter = async (url, name) => {
      const person = await openUser(browser, `${name}'s redis-chat page`);
      closing.push(person.close);
      const { page } = person;
      await page.goto(`${url}/`);
      strictEqual(await page.title(), 'Switchyard chat · Redis cluster');
      await page.fill('#name', name);
      await page.fill('#room', room);
      await page.click('#join button');
      await page.locator('#say').waitFor();
      strictEqual(await page.locator('form:visible').count(), 1, 'one form at a time');
      return person;
    };
    const say = async (page, text) => {
      await page.locator('#say button:enabled').waitFor();
      await page.fill('#text', text);
      await page.click('#say button');
    };
    const ada = await enter(relay.url, 'ada');
    const bob = await enter(started[1].base, 'bob');
    await ada.page.locator('#log li', { hasText: 'bob joined' }).waitFor();
    await bob.page.locator('#users li', { hasText: 'ada' }).waitFor();
    await bob.page.locator('#rooms a.current', { hasText: room }).waitFor();

    await say(ada.page, 'hello from the first node');
    await bob.page.locator('#log li', { hasText: `hello from the first node via node:${started[0].port}` }).waitFor();
    await ada.page.locator('#status', { hasText: 'connected over websocket' }).waitFor();
    relay.drop();
    await ada.page.locator('#log li.error', { hasText: 'Connection lost' }).waitFor();
    await ada.page.locator('#log li', { hasText: 'Back in' }).waitFor();
    await say(ada.page, 'still in the room');
    // From ada still: her name came through the reconnect.
    await bob.page.locator('#log li', { has: bob.page.locator('.who', { hasText: 'ada' }), hasText: 'still in the room' }).waitFor();
    await say(bob.page, `welcome back, ada: ${'redis'.repeat(40)}`);
    await ada.page.locator('#log li', { hasText: 'welcome back' }).waitFor();
    strictEqual(await bob.page.$eval('#log', (log) => log.scrollWidth - log.clientWidth), 0, 'a long word is wrapped');
    await saveScreenshot(bob.page, dir, 'redis-chat');
    ada.check();
    bob.check();
  } finally {
    for (const close of closing.reverse()) await close();
    for (const node of started) strictEqual(await node.stop(), 0, node.output());
    await removeKeys(REDIS_KEY);
  }
});
