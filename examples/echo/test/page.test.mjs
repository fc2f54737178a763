// The echo page in headless Chromium: it connects over Engine.IO and upgrades to websocket, echoes a
// message, and after its connection is cut shows it, reconnects by itself and echoes again. Any console or
// page error fails the test. Without Chromium it is skipped with a message, except on CI (CI=true).
import { strictEqual } from 'node:assert/strict';
import { test } from 'node:test';
import { chromiumAvailable, launchBrowser, openUser, saveScreenshot, startRelay } from 'switchyard-example-testapp/test/support/browser.mjs';
import { startExample } from 'switchyard-example-testapp/test/support/example-process.mjs';

const dir = new URL('../', import.meta.url);

test('the echo page echoes, and reconnects after its connection is cut', { skip: !chromiumAvailable('echo page'), timeout: 180_000 }, async () => {
  const example = await startExample(dir);
  const relay = await startRelay(example.port);
  const browser = await launchBrowser();
  try {
    const { page, check } = await openUser(browser, 'the echo page');
    await page.goto(`${relay.url}/`);
    strictEqual(await page.title(), 'Switchyard echo · Engine.IO');
    await page.locator('#status', { hasText: 'connected over websocket' }).waitFor();
    const echo = async (text) => {
      await page.locator('#say button:enabled').waitFor();
      await page.fill('#text', text);
      await page.click('#say button');
      await page.locator('#log li', { hasText: `echo${text}` }).waitFor();
    };
    await echo('hello, echo');
    relay.drop();
    await page.locator('#log li.error', { hasText: 'Connection lost' }).waitFor();
    await page.locator('#status', { hasText: 'connected over websocket' }).waitFor();
    await echo(`a long word: ${'echo'.repeat(60)}`);
    strictEqual(await page.$eval('#log', (log) => log.scrollWidth - log.clientWidth), 0, 'a long word is wrapped');
    await saveScreenshot(page, dir, 'echo');
    check();
  } finally {
    await browser.close();
    await relay.close();
    strictEqual(await example.stop(), 0, example.output());
  }
});
