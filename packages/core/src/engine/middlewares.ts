import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A connect-style middleware (`express-session`, `helmet`, passport's `initialize()`): called with the
 * request, its response (a stand-in for a websocket upgrade) and `next`; `next(err)` refuses the request.
 */
export type EngineMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The middlewares of `engine.use()`, shared by the engines of one endpoint. A middleware that throws
 * refuses the request as `next(err)` would; one that ends the response itself stops the chain.
 */
export class MiddlewareChain {
  readonly #list: EngineMiddleware[] = [];

  get size(): number {
    return this.#list.length;
  }

  use(fn: EngineMiddleware): void {
    if (typeof fn !== 'function') throw new TypeError('a middleware must be a function');
    this.#list.push(fn);
  }

  /** Runs every middleware in turn; `done` gets the first error passed to `next` (or thrown), if any. */
  run(req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void): void {
    const list = this.#list;
    const step = (i: number): void => {
      if (i === list.length) return done();
      let called = false;
      const next = (err?: unknown): void => {
        if (called) return;
        called = true;
        // As in connect and engine.io: only a truthy `err` is an error.
        if (err) done(err);
        else step(i + 1);
      };
      try {
        list[i]!(req, res, next);
      } catch (err) {
        next(err ?? new Error('a middleware threw'));
      }
    };
    step(0);
  }
}
