import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { UpgradeResponse } from './upgrade-response.js';

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

  /**
   * Runs every middleware in turn; `done` gets the first error passed to `next` (or thrown), if any. It is
   * not called when a middleware ended the response itself (it answered the request).
   */
  run(req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void): void {
    const list = this.#list;
    const finish = (err?: unknown): void => {
      if (!res.writableEnded) done(err);
    };
    const step = (i: number): void => {
      if (i === list.length) return finish();
      let called = false;
      const next = (err?: unknown): void => {
        if (called) return;
        called = true;
        // As in connect and engine.io: only a truthy `err` is an error.
        if (err) finish(err);
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

  /**
   * Runs them on a websocket upgrade, which has no response: they get a stand-in (headers set on it go out
   * with the 101 answer; ending it refuses the upgrade with its status, and `done` is not called).
   */
  runOnUpgrade(req: IncomingMessage, socket: Duplex, done: (err: unknown, res: UpgradeResponse) => void): void {
    const res = new UpgradeResponse(req, socket);
    this.run(req, res as unknown as ServerResponse, (err) => done(err, res));
  }
}
