// The `/game` namespace, written as gevent-socketio namespaces are: one instance per player, one method
// per event (`move` → `onMove`), and an ACL that names the methods a player may call right now. The ACL
// is the rulebook's first line: before a name only `nickname`; in the lobby `create` and `join`; in a game
// `leave`, plus `move` for the one player whose turn it is and `rematch` once the game is over. Anything
// else is refused by the server with `method_access_denied` before any method runs. The methods check the
// rest (the game named is the player's own, the square is free) through the rules in game.mjs.
import { BaseNamespace } from '@switchyard/core';
import { Game, Refused, other } from './game.mjs';

const LOBBY = 'lobby';
const roomOf = (game) => `game:${game.id}`;

/** A namespace class with its own table of games (one per server). */
export function gameNamespace() {
  /** Game id → { game, players: { X, O } } (the players' namespace instances). */
  const tables = new Map();
  let lastId = 0;

  const openGames = () =>
    [...tables.values()].filter(({ game }) => game.phase === 'waiting').map(({ game }) => ({ id: game.id, host: game.names.X }));

  return class GameNamespace extends BaseNamespace {
    #name = null;
    /** { table, mark } while seated at a game. */
    #seat = null;

    getInitialAcl() {
      if (this.#name === null) return ['onNickname'];
      if (this.#seat === null) return ['onCreate', 'onJoin'];
      return ['onLeave'];
    }

    /** The phase's methods, plus `move` on the player's turn and `rematch` after the end. */
    #refreshAcl() {
      this.resetAcl();
      if (this.#seat === null) return;
      const { table, mark } = this.#seat;
      if (table.game.phase === 'playing' && table.game.turn === mark) this.addAclMethod('onMove');
      if (table.game.phase === 'over' && !table.game.rematch.has(mark)) this.addAclMethod('onRematch');
    }

    onNickname(name) {
      if (typeof name !== 'string' || name.trim().length === 0) throw new Refused('a nickname is 1 to 24 characters');
      this.#name = name.trim().slice(0, 24);
      this.#enterLobby();
      return { name: this.#name, games: openGames() };
    }

    onCreate() {
      const table = { game: new Game(String(++lastId), this.#name), players: { X: this, O: null } };
      tables.set(table.game.id, table);
      this.#sit(table, 'X');
      this.#publishLobby();
      return { mark: 'X', state: table.game.view() };
    }

    onJoin(id) {
      const table = tables.get(String(id));
      if (table === undefined) throw new Refused(`there is no game ${id}`);
      if (table.game.full) throw new Refused(`game ${id} already has two players`);
      table.game.seat(this.#name);
      table.players.O = this;
      this.#sit(table, 'O');
      this.#publishLobby();
      this.#publish(table);
      return { mark: 'O', state: table.game.view() };
    }

    onMove(move) {
      const { table, mark } = this.#seat;
      if (String(move?.game) !== table.game.id) throw new Refused(`you are not playing in game ${move?.game}`);
      table.game.move(mark, move.square);
      this.#publish(table);
      return true;
    }

    onRematch() {
      const { table, mark } = this.#seat;
      table.game.askRematch(mark);
      this.#publish(table);
      return true;
    }

    onLeave() {
      this.#leaveGame();
      this.#enterLobby();
      return { games: openGames() };
    }

    recvDisconnect() {
      if (this.#seat !== null) this.#leaveGame();
    }

    #sit(table, mark) {
      this.leave(LOBBY);
      this.join(roomOf(table.game));
      this.#seat = { table, mark };
      this.#refreshAcl();
    }

    #enterLobby() {
      this.join(LOBBY);
      this.#refreshAcl();
    }

    /** Ends this player's game: the opponent is told and sent back to the lobby. */
    #leaveGame() {
      const { table, mark } = this.#seat;
      tables.delete(table.game.id);
      this.#seat = null;
      this.leave(roomOf(table.game));
      const opponent = table.players[other(mark)];
      if (opponent?.socket.connected) {
        opponent.#seat = null;
        opponent.leave(roomOf(table.game));
        opponent.#enterLobby();
        opponent.emit('opponent_left', { name: this.#name, games: openGames() });
      }
      this.#publishLobby();
    }

    /** Both players see the game and get the methods its new state allows. */
    #publish(table) {
      this.socket.nsp.to(roomOf(table.game)).emit('state', table.game.view());
      for (const player of Object.values(table.players)) if (player !== null) player.#refreshAcl();
    }

    #publishLobby() {
      this.socket.nsp.to(LOBBY).emit('games', openGames());
    }
  };
}
