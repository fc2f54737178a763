import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Refusal, refusals } from '../connection-error.js';
import { type CorsHandler, createCorsHandler } from '../cors.js';
import { abortUpgradeWithStatus } from '../http-answers.js';
import type { MiddlewareChain } from '../middlewares.js';
import type { CorsOptions } from '../options.js';
import { bothChecks, corsOriginCheck, type OriginCheck, originListCheck } from '../origin-policy.js';
import { answer } from './legacy-http.js';

export interface LegacyGateOptions {
  /** The Server's cors option: its headers, and (under strictOrigin) its origin rule. */
  cors: CorsOptions | undefined;
  strictOrigin: boolean;
  /** protocol09.origins: narrows the cors rule. */
  origins: ReadonlyArray<string | RegExp> | undefined;
  /** `io.engine.use()`'s middlewares. */
  middlewares: MiddlewareChain;
  /** Reports a refusal (`connection_error`) with the HTTP status it was answered with. */
  report(req: IncomingMessage, refusal: Refusal, status: number): void;
}

/**
 * What every 0.9 request and upgrade goes through before the engine looks at it, as on Engine.IO: the origin
 * policy (403), the cors handler (its headers; it answers preflights), and `io.engine.use()`'s middlewares.
 */
export class LegacyGate {
  readonly middlewares: MiddlewareChain;
  readonly #cors: CorsHandler | undefined;
  readonly #originCheck: OriginCheck | undefined;
  readonly #report: LegacyGateOptions['report'];

  constructor(options: LegacyGateOptions) {
    this.middlewares = options.middlewares;
    this.#report = options.report;
    this.#cors = options.cors === undefined ? undefined : createCorsHandler(options.cors);
    this.#originCheck = bothChecks(
      options.strictOrigin ? corsOriginCheck(options.cors) : undefined,
      options.origins === undefined ? undefined : originListCheck(options.origins),
    );
  }

  /** The origin policy and the CORS headers; `next` when the request goes on. */
  request(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    this.#checkOrigin(req, (allowed) => {
      if (!allowed) {
        answer(res, 403, 'text/plain', 'origin not allowed');
        return this.#report(req, refusals.originNotAllowed(req), 403);
      }
      if (this.#cors === undefined) return next();
      this.#cors(req, res, next);
    });
  }

  /** The middlewares, for a request other than the handshake (which refuses in its own JSONP form). */
  runMiddlewares(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (this.middlewares.size === 0) return next();
    this.middlewares.run(req, res, (err) => {
      if (err === undefined) return next();
      answer(res, 400, 'text/plain', 'Bad request');
      this.#report(req, refusals.middlewareFailure(err), 400);
    });
  }

  /** The origin policy and the middlewares for a websocket upgrade; `next` gets the head to hand to ws. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, next: (head: Buffer) => void): void {
    if (this.#originCheck === undefined && this.middlewares.size === 0) return next(head);
    const kept = Buffer.from(head); // the parser may reuse `head` while a check or a middleware answers late
    this.#checkOrigin(req, (allowed) => {
      if (!allowed) {
        abortUpgradeWithStatus(socket, 403, 'origin not allowed');
        return this.#report(req, refusals.originNotAllowed(req), 403);
      }
      if (this.middlewares.size === 0) return next(kept);
      this.middlewares.runOnUpgrade(req, socket, (err, res) => {
        if (err === undefined) {
          res.accept();
          return next(kept);
        }
        abortUpgradeWithStatus(socket, 400, 'Bad request');
        this.#report(req, refusals.middlewareFailure(err), 400);
      });
    });
  }

  #checkOrigin(req: IncomingMessage, done: (allowed: boolean) => void): void {
    if (this.#originCheck === undefined) done(true);
    else this.#originCheck(req, done);
  }
}
