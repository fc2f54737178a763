// The chat as its README runs it: three nodes over Redis behind the balancer, two users at the page in
// headless Chromium. One node is killed: the users keep chatting through the balancer, and a client
// polling through it never notices. Every node is killed and restarted: a user who comes back sees the
// rooms and the history, and the other one is back in the room by itself. Any console or page error
// outside those outages fails the test. Skipped (with a message) without Redis or Chromium, except on CI.
import { deepStrictEqual, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io as connect } from 'socket.io-client';
import { chromiumAvailable, launchBrowser, openUser, saveScreenshot, visit } from 'switchyard-example-testapp/test/support/browser.mjs';
import { freePort } from 'switchyard-example-testapp/test/support/example-process.mjs';
import { startBalancer, startNode } from './processes.mjs';
import { REDIS_URL, redisAvailable, removeKeys, uniqueKey } from './redis.mjs';

const dir = new URL('../', import.meta.url);
const KEY = uniqueKey();
/** What Chromium logs while nodes are down: refused websockets and polls answered 400 (session gone) or 502/503. */
const OUTAGE = /WebSocket connection to .* failed|Failed to load resource: (net::ERR_|the server responded with a status of (400|502|503))/;

const skip = !chromiumAvailable('redis-chat persistence.test') || !(await redisAvailable('redis-chat persistence.test'));

describe('redis-chat: nodes die, the chat goes on and remembers', { skip }, () => {
  let browser;
  let balancer;
  let url;
  const ports = [];
  const nodes = new Map();
  const users = [];
  const sockets = [];

  const startNodes = async (list) => {
    for (const port of list) nodes.set(port, await startNode(port, { REDIS_URL, REDIS_KEY: KEY }));
  };
  const killNode = async (port) => {
    await nodes.get(port).kill();
    nodes.delete(port);
  };

  before(async () => {
    for (let i = 0; i < 3; i++) ports.push(await freePort());
    await startNodes(ports);
    balancer = await startBalancer(await freePort(), ports);
    url = `http://127.0.0.1:${balancer.output().match(/localhost:(\d+)/)[1]}/`;
    browser = await launchBrowser();
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    for (const user of users) await user.close();
    await browser?.close();
    await balancer?.kill('SIGTERM');
    for (const port of [...nodes.keys()]) await killNode(port);
    await removeKeys(KEY);
  });

  async function user(name) {
    const opened = await openUser(browser, name);
    users.push(opened);
    const { page } = opened;
    const see = (text) => page.locator('#log li.message').filter({ hasText: text }).first().waitFor();
    /** Each join the server accepted adds one `li.joined` notice (the page's own re-joins too). */
    const joins = () => page.locator('#log li.joined').count();
    const joined = (count) => page.locator('#log li.joined').nth(count).waitFor();
    const load = async () => {
      await visit(opened, url);
      await page.locator('#node').filter({ hasText: /^node:\d+$/ }).waitFor();
    };
    await load();
    return {
      ...opened,
      load,
      see,
      joins,
      joined,
      async join(room) {
        const before = await joins();
        if (await page.locator('#join').isHidden()) await page.click('#change-room');
        await page.fill('#name', name);
        await page.fill('#room', room);
        await page.click('#join button');
        await joined(before);
        await page.locator('#room-title').filter({ hasText: `Room: ${room}` }).waitFor();
      },
      async say(text) {
        await page.fill('#text', text);
        await page.locator('#say button:enabled').waitFor();
        await page.press('#text', 'Enter');
        await see(text);
      },
      /** The port of the node its session lives on. */
      node: async () => Number((await page.textContent('#node')).match(/node:(\d+)/)[1]),
      rooms: () => page.locator('#rooms a').allTextContents(),
    };
  }

  test('through the balancer, across a dead node and a restart of every node', async () => {
    const ada = await user('ada');
    const bob = await user('bob');
    await bob.join('garden');
    await bob.say('the roses are out');
    await ada.page.locator('#rooms a').filter({ hasText: 'garden' }).waitFor();
    await bob.join('lobby');
    await ada.join('lobby');
    await ada.say('hello bob');
    await bob.see('hello bob');
    await bob.say('hi ada');
    await ada.see('hi ada');

    // One node dies without a word: ada's. She is served by another node, and both keep chatting.
    const dead = await ada.node();
    await ada.tolerating(OUTAGE, () =>
      bob.tolerating(OUTAGE, async () => {
        await killNode(dead);
        await ada.page.waitForFunction((port) => !globalThis.document.getElementById('node').textContent.includes(`node:${port}`), dead);
        await ada.say('after the crash');
        await bob.see('after the crash');
      }),
    );
    notStrictEqual(await ada.node(), dead);
    await bob.say('still here');
    await ada.see('still here');

    // A client polling through the balancer while a node is dead: a third of its requests are sent to the
    // dead node first, and the balancer passes them on to a live one. It never disconnects.
    const carl = connect(url, { transports: ['polling'], reconnection: false, forceNew: true });
    sockets.push(carl);
    let drops = 0;
    carl.on('disconnect', () => drops++);
    await new Promise((resolve, reject) => carl.once('connect', resolve).once('connect_error', reject));
    deepStrictEqual((await carl.timeout(5000).emitWithAck('join', { name: 'carl', room: 'lobby' })).error, undefined);
    for (let i = 1; i <= 12; i++) {
      const heard = new Promise((resolve) => carl.once('said', resolve));
      carl.emit('say', `poll ${i}`);
      deepStrictEqual((await heard).text, `poll ${i}`);
    }
    await ada.see('poll 12');
    deepStrictEqual([drops, carl.connected], [0, true]);
    carl.close();

    // Every node dies, then all come back. bob loads the page again and joins: the rooms and the history
    // are there. ada's page reconnects and joins the room again by itself.
    const adaJoins = await ada.joins();
    await ada.tolerating(OUTAGE, () =>
      bob.tolerating(OUTAGE, async () => {
        for (const port of [...nodes.keys()]) await killNode(port);
        await startNodes(ports);
        await bob.load();
        await bob.join('lobby');
        await ada.joined(adaJoins);
      }),
    );
    for (const line of ['hello bob', 'hi ada', 'after the crash', 'still here', 'poll 12']) await bob.see(line);
    ok((await bob.rooms()).includes('garden'), 'the garden room survived');
    ok((await bob.rooms()).includes('lobby'), 'the lobby survived');
    await bob.say('back again');
    await ada.see('back again');

    // Each message once, though ada's page joined again twice and the history came with each join.
    for (const user of [ada, bob]) strictEqual(await user.page.locator('#log li.message', { hasText: 'hello bob' }).count(), 1, user.name);
    await saveScreenshot(bob.page, dir, 'redis-chat-persistence');
    for (const u of users) u.check();
  });
});
