import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Refusal, refusals } from './connection-error.js';
import type { EngineGeneration } from './generations.js';
import { type HandshakeGateOptions, passHandshakeGate } from './handshake-gate.js';
import type { OriginCheck } from './origin-policy.js';
import type { PollingFormat } from './polling-format.js';
import type { SessionOpener } from './session-opener.js';
import type { UpgradeResponse } from './upgrade-response.js';
import type { WebSocketAcceptor } from './websocket-acceptor.js';

export interface HandshakePathInit {
  /** cors.origin as a policy on handshakes and upgrades (strictOrigin). */
  originCheck: OriginCheck | undefined;
  gate: HandshakeGateOptions;
  maxSessions: number;
  /** The sessions maxSessions bounds. */
  countSessions(): number;
  opener: SessionOpener;
  websockets: WebSocketAcceptor;
}

/** A websocket handshake: the upgrade, and the Engine.IO generation its query asked for. */
export interface WebSocketHandshake {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  generation: EngineGeneration;
  /** The middlewares' stand-in response, when there are middlewares. */
  res: UpgradeResponse | undefined;
}

/**
 * The way from a handshake that passed the engine's checks to an open session: the origin policy,
 * maxSessions, allowRequest and the new id, then the session over its first transport. Whatever refuses
 * it on the way is handed to the caller's `refuse`.
 */
export class HandshakePath {
  /** Set while the engine is closed: every handshake is refused, also one that was under way. */
  closed = false;
  readonly #init: HandshakePathInit;

  constructor(init: HandshakePathInit) {
    this.#init = init;
  }

  /** A handshake GET: answered with the open packet, in `format`. */
  polling(req: IncomingMessage, res: ServerResponse, generation: EngineGeneration, format: PollingFormat, refuse: (refusal: Refusal) => void): void {
    this.#admit(req, (outcome) => {
      if (typeof outcome !== 'string') return refuse(outcome);
      this.#open(() => this.#init.opener.polling(req, res, outcome, generation, format), refuse);
    });
  }

  /**
   * A websocket handshake: refused with an HTTP answer (`refuse`) until the 101 is sent; a failure after
   * it closes the websocket and is only reported (`report`).
   */
  websocket(handshake: WebSocketHandshake, refuse: (refusal: Refusal) => void, report: (refusal: Refusal) => void): void {
    const { req, generation } = handshake;
    this.#admit(req, (outcome) => {
      if (typeof outcome !== 'string') return refuse(outcome);
      this.#init.websockets.accept({ ...handshake, newId: outcome }, (transport) =>
        this.#open(
          () => this.#init.opener.websocket(req, transport, outcome, generation),
          (refusal) => {
            transport.close();
            report(refusal);
          },
        ),
      );
    });
  }

  /** Refuses (Forbidden) a browser page from an origin `cors.origin` does not allow, under strictOrigin. */
  checkOrigin(req: IncomingMessage, done: (refusal: Refusal | undefined) => void): void {
    const check = this.#init.originCheck;
    if (check === undefined) return done(undefined);
    check(req, (allowed) => done(allowed ? undefined : refusals.originNotAllowed(req)));
  }

  /**
   * The origin policy, allowRequest and the new session's id; a handshake that gets through after close()
   * is refused.
   */
  #admit(req: IncomingMessage, done: (outcome: string | Refusal) => void): void {
    if (this.closed) return done(refusals.badRequest('ENGINE_CLOSED'));
    if (this.#init.countSessions() >= this.#init.maxSessions) return done(refusals.overloaded());
    this.checkOrigin(req, (refusal) => {
      if (refusal !== undefined) return done(refusal);
      passHandshakeGate(this.#init.gate, req, (outcome) => done(this.closed ? refusals.badRequest('ENGINE_CLOSED') : outcome));
    });
  }

  /**
   * Opens a session, which announces it; a failure of user code in it (a connection listener) refuses the
   * request instead of throwing.
   */
  #open(open: () => void, refuse: (refusal: Refusal) => void): void {
    try {
      open();
    } catch (error) {
      refuse(refusals.serverFailure('TRANSPORT_HANDSHAKE_ERROR', error));
    }
  }
}
