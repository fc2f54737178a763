// A generation's official browser bundle driven in headless Chromium. Each client has a page of its own
// in a browser context of its own (its own connection pool, as two users would be); pages are kept
// between tests and only navigated again, because opening them is what costs.
import { EventEmitter } from 'node:events';
import { fromWire, toWire } from './client-ops.mjs';
import { pagePath } from './test-pages.mjs';
import { testClient } from './test-client.mjs';

/** Pages to reuse: `take()` during a test, `release()` after it, `close()` at the very end. */
export function pagePool(browser) {
  const free = [];
  const busy = [];
  const all = [];
  return {
    async take() {
      let entry = free.pop();
      if (entry === undefined) {
        const context = await browser.newContext();
        const page = await context.newPage();
        entry = { context, page, onEvent: null, onError: null };
        const current = entry;
        await page.exposeFunction('testappEvent', (...args) => current.onEvent?.(...args));
        page.on('pageerror', (err) => current.onError?.(err));
        all.push(entry);
      }
      busy.push(entry);
      return entry;
    },
    /** Leaves every page of the test (which closes its connections) and hands them back. */
    async release() {
      const entries = busy.splice(0);
      for (const entry of entries) {
        entry.onEvent = null;
        entry.onError = null;
      }
      await Promise.all(entries.map((entry) => entry.page.goto('about:blank')));
      free.push(...entries);
    },
    async close() {
      await Promise.all(all.map((entry) => entry.context.close()));
    },
  };
}

/** Clients of one test: `generation`'s page, on `transport`, from `pool`. */
export function pageClients(pool, generation, transport, url) {
  const errors = [];
  let closing = false;
  /** Keeps the failure of a call nobody awaits (an `emit`) for `close()` to report. */
  const track = (promise) => {
    promise.catch((err) => closing || errors.push(err));
    return promise;
  };

  async function openPage(events) {
    const entry = await pool.take();
    const { page } = entry;
    entry.onError = (err) => errors.push(err);
    entry.onEvent = (event, args, replyId) => {
      const reply = (...answer) => track(page.evaluate(([id, a]) => globalThis.testapp.reply(id, a), [replyId, toWire(answer)]));
      events.emit(event, ...fromWire(args, Buffer.from), ...(replyId === null ? [] : [reply]));
    };
    await page.goto(url + pagePath(generation));
    return page;
  }

  return {
    async connect(nsp = '/', { auth } = {}) {
      const events = new EventEmitter();
      const page = await openPage(events);
      const { id, sessionId } = await page.evaluate(([n, t, a]) => globalThis.testapp.connect(n, t, a), [nsp, transport, auth]);
      const listening = new Set();
      return testClient({
        call: (op, ...args) =>
          track(page.evaluate(([o, a]) => globalThis.testapp.call(o, a), [op, toWire(args)]).then((result) => fromWire(result, Buffer.from))),
        on: async (event, listener) => {
          events.on(event, listener);
          if (listening.has(event)) return;
          listening.add(event);
          await track(page.evaluate((e) => globalThis.testapp.listen(e), event));
        },
        id,
        sessionId,
      });
    },
    async refused(nsp, { auth } = {}) {
      const page = await openPage(new EventEmitter());
      return page.evaluate(([n, t, a]) => globalThis.testapp.refused(n, t, a), [nsp, transport, auth]);
    },
    async close() {
      closing = true;
      await pool.release();
      if (errors.length > 0) throw errors[0];
    },
  };
}
