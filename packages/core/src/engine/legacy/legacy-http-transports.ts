import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeLegacyPacket, LegacyErrorAdvice, LegacyErrorReason, LegacyPacketType } from '../../protocol/legacy-packet.js';
import { type Refusal, refusals } from '../connection-error.js';
import type { Logger } from '../logger.js';
import { isBodyTooLarge, readBody } from '../read-body.js';
import { answer, formField } from './legacy-http.js';
import type { ResolvedLegacyOptions } from './legacy-options.js';
import type { LegacySession } from './legacy-session.js';
import type { LegacyTransport, LegacyTransportName } from './legacy-transport.js';
import { JsonpPollingTransport, jsonpScript, XhrPollingTransport } from './polling-transports.js';
import { HtmlFileTransport, XhrMultipartTransport } from './streaming-transports.js';

type Query = Record<string, string | undefined>;

/** `7:::1+0`: "client not handshaken", advice "reconnect" — the client handshakes again. */
export const NOT_HANDSHAKEN = encodeLegacyPacket({
  type: LegacyPacketType.ERROR,
  endpoint: '',
  reason: LegacyErrorReason.CLIENT_NOT_HANDSHAKEN,
  advice: LegacyErrorAdvice.RECONNECT,
});

export interface LegacyHttpTransportsInit {
  options: ResolvedLegacyOptions;
  sessions: ReadonlyMap<string, LegacySession>;
  /**
   * Puts `transport` under the session `sid` (its first transport opens the session); false when no such
   * handshake or session exists.
   */
  connect(req: IncomingMessage, sid: string, transport: LegacyTransport): boolean;
  /** Reports a refusal (`connection_error`) with the HTTP status it was answered with. */
  report(req: IncomingMessage, refusal: Refusal, status: number): void;
  logger: Logger;
}

/**
 * The requests of the 0.9 protocol's HTTP transports (`<path>1/<transport>/<sid>`): a GET opens the
 * transport (xhr-polling, jsonp-polling: each poll; htmlfile, xhr-multipart: one held response), a POST
 * carries the client's packets (answered `1`).
 */
export class LegacyHttpTransports {
  readonly #init: LegacyHttpTransportsInit;
  /** The engine's held xhr- and jsonp-polling GETs, answered `8::` after the polling duration: one timer for all. */
  readonly #heldPolls = XhrPollingTransport.heldPolls();

  constructor(init: LegacyHttpTransportsInit) {
    this.#init = init;
  }

  handle(req: IncomingMessage, res: ServerResponse, name: LegacyTransportName, sid: string, query: Query): void {
    const { options, report } = this.#init;
    if (!options.transports.includes(name) || name === 'websocket' || name === 'flashsocket') {
      answer(res, 400, 'text/plain', 'transport not supported');
      return report(req, refusals.unknownTransport(name), 400);
    }
    if (req.method === 'POST') {
      this.#onPost(req, res, name, sid).catch((err: unknown) => this.#init.logger.error({ sid, transport: name, err }, 'a 0.9 POST failed'));
      return;
    }
    if (req.method !== 'GET') {
      answer(res, 405, 'text/plain', 'method not allowed');
      return report(req, refusals.badRequest('METHOD_NOT_ALLOWED', { method: req.method }), 405);
    }
    const session = this.#init.sessions.get(sid);
    let transport: LegacyTransport | undefined = session?.transport;
    const reuse = transport instanceof XhrPollingTransport && transport.name === name;
    if (!reuse) transport = this.#create(name, res);
    if (!this.#init.connect(req, sid, transport!)) {
      report(req, refusals.unknownSid(sid), 200);
      if (!reuse && transport!.persistent) {
        transport!.send([NOT_HANDSHAKEN]);
        transport!.close();
      } else {
        this.#writeNotHandshaken(res, name, query);
      }
      return;
    }
    if (transport instanceof XhrPollingTransport) transport.poll(res, query);
  }

  #create(name: LegacyTransportName, res: ServerResponse): LegacyTransport {
    const { options } = this.#init;
    switch (name) {
      case 'htmlfile':
        return new HtmlFileTransport(res, options.maxWriteBuffer);
      case 'xhr-multipart':
        return new XhrMultipartTransport(res, options.maxWriteBuffer);
      case 'jsonp-polling':
        return new JsonpPollingTransport(options.pollingDuration, this.#heldPolls);
      default:
        return new XhrPollingTransport(options.pollingDuration, this.#heldPolls);
    }
  }

  async #onPost(req: IncomingMessage, res: ServerResponse, name: LegacyTransportName, sid: string): Promise<void> {
    const session = this.#init.sessions.get(sid);
    let body: string;
    try {
      body = (await readBody(req, this.#init.options.maxHttpBufferSize)).toString('utf8');
    } catch (err) {
      const tooLarge = isBodyTooLarge(err);
      answer(res, tooLarge ? 413 : 400, 'text/plain', tooLarge ? 'payload too large' : 'bad request');
      if (tooLarge) session?.shutdown('transport error');
      return;
    }
    if (session === undefined || session.readyState === 'closed') {
      answer(res, 200, 'text/plain', NOT_HANDSHAKEN);
      return this.#init.report(req, refusals.unknownSid(sid), 200);
    }
    if (name === 'jsonp-polling') {
      const data = formField(body);
      if (data === undefined) {
        answer(res, 400, 'text/plain', 'bad request');
        session.shutdown('parse error');
        return;
      }
      body = data;
    }
    // Answer first: a handler that closes the session must not leave this request hanging.
    answer(res, 200, 'text/plain', '1');
    session.receive(body);
  }

  #writeNotHandshaken(res: ServerResponse, name: LegacyTransportName, query: Query): void {
    if (name === 'jsonp-polling') answer(res, 200, 'text/javascript; charset=UTF-8', jsonpScript(query.i, NOT_HANDSHAKEN));
    else answer(res, 200, 'text/plain; charset=UTF-8', NOT_HANDSHAKEN);
  }
}
