// The rules of one game between two players, X and O, with no I/O: the board, whose turn it is, the
// end (a line of three or a full board) and rematches, in which the other player opens.

const LINES = [
  [0, 1, 2], [3, 4, 5], [6, 7, 8],
  [0, 3, 6], [1, 4, 7], [2, 5, 8],
  [0, 4, 8], [2, 4, 6],
];

export const other = (mark) => (mark === 'X' ? 'O' : 'X');

/** Why a request is refused; the message is shown to the player. */
export class Refused extends Error {}

export class Game {
  /** @param {string} id @param {string} host the name of the player who opened it, who plays X */
  constructor(id, host) {
    this.id = id;
    this.names = { X: host, O: null };
    this.round = 0;
    this.rematch = new Set();
    this.#newRound('X');
  }

  get full() {
    return this.names.O !== null;
  }

  /** 'waiting' for a second player, 'playing', or 'over'. */
  get phase() {
    if (!this.full) return 'waiting';
    return this.result === null ? 'playing' : 'over';
  }

  seat(name) {
    this.names.O = name;
  }

  /** Puts `mark` on `square` (0-8) and passes the turn, or throws Refused. */
  move(mark, square) {
    if (this.phase !== 'playing') throw new Refused('the game is not being played');
    if (this.turn !== mark) throw new Refused(`it is ${this.turn}'s turn`);
    if (!Number.isInteger(square) || square < 0 || square > 8) throw new Refused('a square is a number from 0 to 8');
    if (this.board[square] !== null) throw new Refused(`square ${square + 1} is taken`);
    this.board[square] = mark;
    const line = LINES.find((l) => l.every((i) => this.board[i] === mark));
    if (line !== undefined) this.result = { winner: mark, line };
    else if (this.board.every((cell) => cell !== null)) this.result = { winner: null, line: [] };
    else this.turn = other(mark);
  }

  /** `mark` asks for a rematch; returns true when both have asked and a new round began. */
  askRematch(mark) {
    if (this.phase !== 'over') throw new Refused('the game is not over');
    this.rematch.add(mark);
    if (this.rematch.size < 2) return false;
    this.#newRound(this.round % 2 === 0 ? 'X' : 'O');
    return true;
  }

  /** What both players are shown. */
  view() {
    return {
      id: this.id,
      round: this.round,
      players: { ...this.names },
      board: [...this.board],
      turn: this.phase === 'playing' ? this.turn : null,
      phase: this.phase,
      winner: this.result?.winner ?? null,
      line: this.result?.line ?? [],
      rematch: [...this.rematch],
    };
  }

  #newRound(opener) {
    this.round += 1;
    this.board = Array(9).fill(null);
    this.turn = opener;
    this.result = null;
    this.rematch.clear();
  }
}
