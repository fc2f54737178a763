// The rules and the ACL over real sockets, with socket.io-client 4 in Node: every forbidden request is
// refused by the server (and changes nothing), every allowed one is played.
import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { io as connect } from 'socket.io-client';
import { createTicTacToe } from '../app.mjs';
import { Game } from '../game.mjs';

test('the rules: a line of three wins, a full board draws, a rematch swaps the opener', () => {
  const game = new Game('1', 'ada');
  game.seat('bob');
  for (const [mark, square] of [['X', 0], ['O', 3], ['X', 1], ['O', 4], ['X', 2]]) game.move(mark, square);
  deepStrictEqual([game.phase, game.view().winner, game.view().line], ['over', 'X', [0, 1, 2]]);
  throws(() => game.move('O', 5), /not being played/);
  strictEqual(game.askRematch('X'), false);
  strictEqual(game.askRematch('O'), true);
  deepStrictEqual([game.phase, game.turn, game.round], ['playing', 'O', 2]);
  // O X O / O X X / X O O: nobody has a line.
  for (const [mark, square] of [['O', 0], ['X', 1], ['O', 2], ['X', 4], ['O', 3], ['X', 5], ['O', 7], ['X', 6], ['O', 8]]) game.move(mark, square);
  deepStrictEqual([game.phase, game.view().winner], ['over', null]);
});

let app;
let url;
const sockets = [];
before(async () => {
  app = createTicTacToe();
  await new Promise((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${app.httpServer.address().port}/game`;
});
after(async () => {
  for (const socket of sockets) socket.close();
  await app.io.close();
  await new Promise((resolve) => app.httpServer.close(resolve));
});

async function player() {
  const socket = connect(url, { forceNew: true, reconnection: false, transports: ['websocket'] });
  sockets.push(socket);
  await once(socket, 'connect');
  return {
    socket,
    /** The acknowledgement of an allowed request. */
    ask: (event, ...args) => socket.timeout(5000).emitWithAck(event, ...args),
    /** The `error` [name, message] a refused request gets; fails if the request is acknowledged instead. */
    refused: (event, ...args) =>
      new Promise((resolve, reject) => {
        socket.once('error', (...refusal) => resolve(refusal));
        socket.emit(event, ...args, () => reject(new Error(`"${event}" was accepted`)));
      }),
  };
}

test('a player may move only in their own game, on their turn, on a free square', async () => {
  const ada = await player();
  const bob = await player();
  const eve = await player();
  deepStrictEqual(await ada.refused('create'), ['method_access_denied', 'You do not have access to method "onCreate"']);
  for (const [who, name] of [[ada, 'ada'], [bob, 'bob'], [eve, 'eve']]) strictEqual((await who.ask('nickname', name)).name, name);

  const opened = await ada.ask('create');
  deepStrictEqual([opened.mark, opened.state.phase], ['X', 'waiting']);
  const other = await eve.ask('create');
  deepStrictEqual(await bob.refused('move', { game: opened.state.id, square: 0 }), ['method_access_denied', 'You do not have access to method "onMove"']);

  const started = once(ada.socket, 'state');
  const joined = await bob.ask('join', opened.state.id);
  deepStrictEqual([joined.mark, joined.state.phase, joined.state.turn], ['O', 'playing', 'X']);
  deepStrictEqual((await started)[0].players, { X: 'ada', O: 'bob' });
  deepStrictEqual(await eve.refused('join', opened.state.id), ['method_access_denied', 'You do not have access to method "onJoin"']);

  // Out of turn: O may not move while X is to play.
  deepStrictEqual(await bob.refused('move', { game: opened.state.id, square: 4 }), ['method_access_denied', 'You do not have access to method "onMove"']);
  const moved = once(bob.socket, 'state');
  strictEqual(await ada.ask('move', { game: opened.state.id, square: 4 }), true);
  deepStrictEqual((await moved)[0].board, [null, null, null, null, 'X', null, null, null, null]);
  // X has played: X may not play again.
  deepStrictEqual(await ada.refused('move', { game: opened.state.id, square: 0 }), ['method_access_denied', 'You do not have access to method "onMove"']);
  // O's turn, but on a taken square, or in somebody else's game.
  deepStrictEqual(await bob.refused('move', { game: opened.state.id, square: 4 }), ['method_error', 'square 5 is taken']);
  deepStrictEqual(await bob.refused('move', { game: other.state.id, square: 0 }), ['method_error', `you are not playing in game ${other.state.id}`]);
  // The refusals changed nothing: O's next legal move lands on the board as it was.
  const next = once(ada.socket, 'state');
  strictEqual(await bob.ask('move', { game: opened.state.id, square: 0 }), true);
  deepStrictEqual((await next)[0].board, ['O', null, null, null, 'X', null, null, null, null]);

  // The opponent leaves: the other player is told and is back in the lobby, where eve's game is open.
  const left = once(ada.socket, 'opponent_left');
  bob.socket.disconnect();
  deepStrictEqual((await left)[0], { name: 'bob', games: [{ id: other.state.id, host: 'eve' }] });
  deepStrictEqual(await ada.refused('move', { game: opened.state.id, square: 1 }), ['method_access_denied', 'You do not have access to method "onMove"']);
  strictEqual((await ada.ask('join', other.state.id)).mark, 'O');
});
