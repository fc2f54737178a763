// A player at the tic-tac-toe page in Chromium, driven through the page as a person would (the forms and
// the board's buttons), plus `tryMove`, which sends a move past the page's disabled buttons to show that
// the server, not the page, refuses it.
import { deepStrictEqual } from 'node:assert/strict';
import { openUser } from 'switchyard-example-testapp/test/support/browser.mjs';

/** The board as a string of nine characters, `-` for an empty square. */
const boardText = () => [...globalThis.document.querySelectorAll('#board button')].map((b) => b.textContent || '-').join('');

export async function openPlayer(browser, url, name, client = '4') {
  const user = await openUser(browser, `${name} (client ${client})`);
  const { page } = user;
  const seeText = (selector, text) => page.locator(selector).filter({ hasText: text }).first().waitFor();
  await page.goto(`${url}/?client=${client}`);
  await page.locator('#status.connected').waitFor();
  await page.fill('#nickname', name);
  await page.click('#signin button');
  await page.locator('#lobby').waitFor();

  return {
    ...user,
    seeText,
    /** Opens a game and returns its id. */
    async create() {
      await page.click('#create');
      await seeText('#turn', 'Waiting for an opponent');
      return (await page.textContent('#title')).match(/^Game (\d+)/)[1];
    },
    async join(id) {
      await page.locator('#games li').filter({ hasText: `Game ${id} ` }).locator('button').click();
      await page.locator('#table').waitFor();
    },
    /** Clicks a square (0-8) and waits until the board shows the move. */
    async play(square) {
      const mark = (await page.textContent('#turn')).match(/you play ([XO])/)[1];
      await page.locator('#board button').nth(square).click();
      await page.locator('#board button').nth(square).filter({ hasText: mark }).waitFor();
    },
    /** Waits until the board reads `expected` (nine characters, `-` for empty). */
    seeBoard: (expected) => page.waitForFunction(`(${boardText})() === ${JSON.stringify(expected)}`),
    board: () => page.evaluate(boardText),
    /** Sends a move straight through the page's socket; resolves with the refusal the page shows. */
    async tryMove(move) {
      const refusals = page.locator('#log li.error');
      const before = await refusals.count();
      await page.evaluate((m) => globalThis.ticTacToe.socket.emit('move', m, () => {}), move);
      await refusals.nth(before).waitFor();
      return refusals.nth(before).textContent();
    },
  };
}

/** Both players' boards read `expected`. */
export async function boardsRead(players, expected) {
  for (const player of players) await player.seeBoard(expected);
  deepStrictEqual(await Promise.all(players.map((p) => p.board())), players.map(() => expected));
}
