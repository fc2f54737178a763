// The chat page as two people use it, in headless Chromium: the testapp's page, the framework examples'
// copies of it and the Next example's React page all pass through here. Every page is watched for console
// and page errors; the screenshot is kept in the example's test-results/chat.png.
import { ok, strictEqual } from 'node:assert/strict';
import { openUser, saveScreenshot } from './browser.mjs';

// Playwright's waits, generous enough for a dev-mode Next compiling its page on a busy machine.
const WAIT_MS = 120_000;

/**
 * Two people join the chat at `relay.url` (through the framework's GET /login when `signIn`, else with the
 * page's Join form), see each other in the user list and in join notices, and talk; then `relay.drop()` cuts
 * every connection, and each page must show it, reconnect, log in again by itself and carry a message.
 * `title` is the page's expected title; `dir` the example's folder (for the screenshot).
 */
export async function checkChatPage(browser, { relay, title, signIn, dir }) {
  const people = [];
  try {
    const ada = await enter(browser, relay.url, 'ada', { signIn, title });
    people.push(ada);
    const bob = await enter(browser, relay.url, 'bob', { signIn, title });
    people.push(bob);
    await logLine(ada.page, 'bob joined.');
    await ada.page.locator('#users li', { hasText: 'bob' }).waitFor();
    await Promise.all(people.map(({ page }) => page.locator('#status', { hasText: 'connected over websocket' }).waitFor()));

    const long = `hello bob, here is a long word: ${'switchyard'.repeat(20)}`;
    await say(ada.page, long);
    await logLine(bob.page, 'hello bob');
    await say(bob.page, 'hi ada');
    await logLine(ada.page, 'hi ada');
    const overflow = await ada.page.$eval('#log', (log) => log.scrollWidth - log.clientWidth);
    strictEqual(overflow, 0, 'a long word makes the message list scroll sideways instead of wrapping');

    relay.drop();
    for (const { page } of people) {
      await logLine(page, 'Connection lost');
      await logLine(page, 'Back online as');
      await page.locator('#status', { hasText: 'connected over websocket' }).waitFor();
    }
    await say(ada.page, 'still here after the reconnect');
    await logLine(bob.page, 'still here after the reconnect');
    for (const { page } of people) {
      strictEqual(await page.locator('#log li.error', { hasText: 'method_access_denied' }).count(), 0, 'a message was refused after the reconnect');
      strictEqual(await visibleForms(page), 1, 'one form at a time');
    }
    const screenshot = await saveScreenshot(ada.page, dir, 'chat');
    for (const person of people) person.check();
    return screenshot;
  } finally {
    await Promise.all(people.map((person) => person.close()));
  }
}

/** Opens the chat as `name` and waits until the page has logged in. */
async function enter(browser, url, name, { signIn, title }) {
  const person = await openUser(browser, `${name}'s chat page`);
  const { page } = person;
  page.setDefaultTimeout(WAIT_MS / 2);
  page.setDefaultNavigationTimeout(WAIT_MS);
  if (signIn) {
    await page.goto(`${url}/`);
    await page.locator('#signin').waitFor();
    await page.fill('#signin input', name);
    await page.click('#signin button');
  } else {
    await page.goto(`${url}/`);
    await page.locator('#login').waitFor();
    await page.fill('#name', name);
    await page.click('#login button');
  }
  await page.locator('#say').waitFor();
  await page.locator('#users li.me', { hasText: name }).waitFor();
  strictEqual(await page.title(), title);
  strictEqual(await visibleForms(page), 1, 'one form at a time');
  ok(await page.locator('#say button').isEnabled());
  return person;
}

/** How many of the page's forms are visible. */
function visibleForms(page) {
  return page.$$eval('form', (forms) => forms.filter((form) => form.checkVisibility()).length);
}

async function say(page, text) {
  await page.locator('#say button:enabled').waitFor();
  await page.fill('#text', text);
  await page.click('#say button');
}

/** Waits for a line of the message list that contains `text`. */
function logLine(page, text) {
  return page.locator('#log li', { hasText: text }).first().waitFor();
}
