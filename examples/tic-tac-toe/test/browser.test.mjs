// Tic-tac-toe in headless Chromium: players at the real page, on socket.io-client 4.x, 2.5.0 and 0.9.16
// (the page's ?client=). Any console or page error fails the test. Without Chromium the file is skipped
// with a message, except on CI (CI=true).
import { ok, match } from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromiumAvailable, launchBrowser } from 'switchyard-example-testapp/test/support/browser.mjs';
import { createTicTacToe } from '../app.mjs';
import { boardsRead, openPlayer } from './player.mjs';

const results = new URL('../test-results/', import.meta.url);

async function startApp(port = 0) {
  const app = createTicTacToe();
  await new Promise((resolve) => app.httpServer.listen(port, '127.0.0.1', resolve));
  return { ...app, port: app.httpServer.address().port };
}

async function stopApp(app) {
  await app.io.close();
  app.httpServer.closeAllConnections();
  await new Promise((resolve) => app.httpServer.close(resolve));
}

describe('tic-tac-toe in Chromium', { skip: !chromiumAvailable('tic-tac-toe browser.test') }, () => {
  let browser;
  let app;
  let url;
  const players = [];
  const player = async (...args) => {
    const opened = await openPlayer(browser, url, ...args);
    players.push(opened);
    return opened;
  };
  before(async () => {
    browser = await launchBrowser();
    app = await startApp();
    url = `http://127.0.0.1:${app.port}`;
  });
  after(async () => {
    for (const p of players) await p.close();
    await browser?.close();
    if (app !== undefined) await stopApp(app);
  });

  test('two players: lobby, refused moves, a win, a rematch, a draw, and the opponent leaving', async () => {
    const ada = await player('ada');
    const bob = await player('bob');
    const eve = await player('eve');
    await bob.seeText('#no-games', 'No open game yet');
    const game = await ada.create();
    const elsewhere = await eve.create();
    await bob.join(game);
    await ada.seeText('#turn', 'Your turn: you play X');
    await bob.seeText('#turn', "ada's turn");

    // Forbidden moves, each refused by the server and leaving every board as it was.
    match(await bob.tryMove({ game, square: 0 }), /not allowed now.*onMove/);
    await ada.play(4);
    match(await ada.tryMove({ game, square: 0 }), /not allowed now.*onMove/);
    match(await bob.tryMove({ game, square: 4 }), /square 5 is taken/);
    match(await bob.tryMove({ game: elsewhere, square: 0 }), new RegExp(`not playing in game ${elsewhere}`));
    await boardsRead([ada, bob], '----X----');
    await boardsRead([eve], '---------');

    for (const [who, square] of [[bob, 0], [ada, 1], [bob, 2], [ada, 7]]) await who.play(square);
    await boardsRead([ada, bob], 'OXO-X--X-');
    await ada.seeText('#turn', 'You win!');
    await bob.seeText('#turn', 'ada wins.');
    ok((await ada.page.locator('#board button.win').count()) === 3);

    await bob.page.click('#rematch');
    await ada.seeText('#turn', 'bob asks for a rematch');
    mkdirSync(results, { recursive: true });
    await ada.page.screenshot({ path: new URL('screenshot.png', results).pathname, fullPage: true });
    await ada.page.click('#rematch');
    await bob.seeText('#turn', 'Your turn: you play O');
    await boardsRead([ada, bob], '---------');
    for (const [who, square] of [[bob, 0], [ada, 1], [bob, 2], [ada, 4], [bob, 3], [ada, 5], [bob, 7], [ada, 6], [bob, 8]]) await who.play(square);
    await ada.seeText('#turn', 'A draw.');
    await bob.seeText('#turn', 'A draw.');

    await bob.close();
    await ada.seeText('#log li', 'bob left the game: back to the lobby.');
    await ada.page.locator('#games li').filter({ hasText: `Game ${elsewhere} · eve is waiting` }).waitFor();
    for (const p of [ada, bob, eve]) p.check();
  });

  for (const client of ['0.9', '2']) {
    test(`a player on socket.io-client ${client === '2' ? '2.5.0' : '0.9.16'} against one on 4.x`, async () => {
      const old = await player('old', client);
      const neu = await player('new');
      const game = await old.create();
      await neu.join(game);
      await old.play(0);
      match(await old.tryMove({ game, square: 1 }), /not allowed now.*onMove/);
      match(await neu.tryMove({ game, square: 0 }), /square 1 is taken/);
      for (const [who, square] of [[neu, 3], [old, 1], [neu, 4], [old, 2]]) await who.play(square);
      await boardsRead([old, neu], 'XXXOO----');
      await old.seeText('#turn', 'You win!');
      await neu.seeText('#turn', 'old wins.');
      await old.page.click('#leave');
      await neu.seeText('#log li', 'old left the game');
      for (const p of [old, neu]) p.check();
    });
  }

  test('a restart of the server: the page shows it, reconnects and signs in again', async () => {
    const ada = await player('ada');
    await ada.tolerating(/ERR_CONNECTION_REFUSED|WebSocket connection to .* failed/, async () => {
      await stopApp(app);
      await ada.page.locator('#status.disconnected, #status.connecting').waitFor();
      await ada.page.locator('#create:disabled').waitFor();
      app = await startApp(app.port);
      await ada.seeText('#log li', 'Reconnected: back in the lobby as ada.');
    });
    await ada.page.locator('#status.connected').waitFor();
    await ada.create();
    ada.check();
  });
});
