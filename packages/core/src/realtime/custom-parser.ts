/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The `parser` option: any socket.io-parser-compatible parser (socket.io-msgpack-parser, one of your own)
 * for the Socket.IO v5 clients (socket.io-client 3.x and 4.x, over Engine.IO v4). It is an object with two
 * classes: `new Encoder().encode(packet)` returns the packet's Engine.IO messages (strings and binary), and
 * `new Decoder()` is an event emitter whose `add(message)` emits `'decoded'` with each packet it completes.
 * Clients of the other generations keep their own wire (see {@link CustomCodec}).
 */
import { PreparedMessage } from '../engine/prepared-message.js';
import { invalidPacket, ProtocolError } from '../protocol/errors.js';
import { checkSocketPacket, type SocketPacket } from '../protocol/socket-packet.js';

/** A packet as Engine.IO messages: what an encoder returns, and what adapters hand to `writeToEngine`. */
export type EncodedPacket = readonly (string | Buffer)[];

/** socket.io-parser's `Encoder`: one per server. */
export interface ParserEncoder {
  encode(packet: any): any;
}

/** socket.io-parser's `Decoder`: one per connection. */
export interface ParserDecoder {
  add(message: any): void;
  on(event: 'decoded', listener: (packet: any) => void): unknown;
  destroy?(): void;
}

/** What the `parser` option takes: socket.io-parser's module shape. */
export interface Parser {
  Encoder: new () => ParserEncoder;
  Decoder: new () => ParserDecoder;
}

const SHAPE = 'must be a socket.io-parser-compatible parser: an object with an Encoder class (encode) and a Decoder class (add, on)';

/**
 * A custom parser, made ready once per server: its one Encoder (socket.io's `io.encoder`), and a Decoder
 * per connection. A packet is encoded with it at most once whatever the number of recipients (the
 * {@link OutgoingPacket} keeps the result). Only Engine.IO v4 sessions use it: socket.io-client 2.x and 0.9
 * speak their own Socket.IO wire, whose codecs stay ours; what an adapter encoded with this parser is
 * decoded with it again for them.
 */
export class CustomCodec {
  readonly parser: Parser;
  readonly encoder: ParserEncoder;

  /** Throws a TypeError when `parser` does not have the shape of one. */
  constructor(parser: unknown) {
    const candidate = parser as Partial<Parser> | null | undefined;
    if (typeof candidate?.Encoder !== 'function' || typeof candidate.Decoder !== 'function') {
      throw new TypeError(`option "parser" ${SHAPE}`);
    }
    const encoder = new candidate.Encoder();
    if (typeof encoder?.encode !== 'function') throw new TypeError(`option "parser" ${SHAPE}; its Encoder has no encode()`);
    const probe = new candidate.Decoder();
    if (typeof probe?.add !== 'function' || typeof probe.on !== 'function') {
      throw new TypeError(`option "parser" ${SHAPE}; its Decoder has no add() or on()`);
    }
    if (typeof probe.destroy === 'function') probe.destroy();
    this.parser = candidate as Parser;
    this.encoder = encoder;
  }

  /** The packet's Engine.IO messages. Throws a TypeError when the encoder returns anything else. */
  encode(packet: SocketPacket): EncodedPacket {
    return toMessages(this.encoder.encode(packet));
  }

  /** The messages as the engine writes them, framed once for every recipient when `shared`. */
  prepare(messages: EncodedPacket, shared: boolean): PreparedMessage[] {
    return toMessages(messages).map((part) => new PreparedMessage(part, shared));
  }

  /** Decodes what this parser encoded (a broadcast an adapter encoded, for a client of another generation). */
  decode(messages: EncodedPacket): SocketPacket {
    let packet: SocketPacket | undefined;
    const decoder = new this.parser.Decoder();
    decoder.on('decoded', (decoded: unknown) => {
      packet ??= checkSocketPacket(decoded);
    });
    for (const message of messages) decoder.add(message);
    decoder.destroy?.();
    if (packet === undefined) throw new TypeError('the custom parser did not decode what its encoder made');
    return packet;
  }

  /** A decoder for one connection. */
  decoder(sink: DecodedSink): CustomDecoder {
    return new CustomDecoder(new this.parser.Decoder(), sink);
  }
}

/** Where a connection's decoder hands what it decoded, when its parser emits outside `add()`. */
export interface DecodedSink {
  packet(packet: SocketPacket): void;
  error(err: ProtocolError): void;
}

/**
 * A connection's custom Decoder, made to behave like ours: packets are checked as ours checks its own,
 * and whatever the parser throws on what the peer sent is a ProtocolError.
 */
export class CustomDecoder {
  readonly #decoder: ParserDecoder;
  readonly #sink: DecodedSink;
  /** The packets decoded during the current `add()`. */
  #received: SocketPacket[] | undefined;

  constructor(decoder: ParserDecoder, sink: DecodedSink) {
    this.#decoder = decoder;
    this.#sink = sink;
    decoder.on('decoded', this.#onDecoded);
  }

  /**
   * Feeds one Engine.IO message; returns the packets it completed. Throws ProtocolError (code
   * ERR_PROTOCOL_INVALID_PACKET) when the parser refuses the message or decodes something that is no packet.
   */
  add(message: string | Buffer): SocketPacket[] {
    const received: SocketPacket[] = [];
    this.#received = received;
    try {
      this.#decoder.add(message);
    } catch (err) {
      throw asProtocolError(err);
    } finally {
      this.#received = undefined;
    }
    return received;
  }

  destroy(): void {
    this.#decoder.destroy?.();
  }

  readonly #onDecoded = (decoded: unknown): void => {
    const received = this.#received;
    if (received !== undefined) {
      received.push(checkSocketPacket(decoded));
      return;
    }
    let packet: SocketPacket;
    try {
      packet = checkSocketPacket(decoded);
    } catch (err) {
      this.#sink.error(err as ProtocolError);
      return;
    }
    this.#sink.packet(packet);
  };
}

function asProtocolError(err: unknown): ProtocolError {
  if (err instanceof ProtocolError) return err;
  return invalidPacket(`custom parser: ${err instanceof Error ? err.message : typeof err}`);
}

/** An encoder's result as Engine.IO messages: strings and Buffers (binary of other kinds is wrapped, not copied). */
function toMessages(encoded: unknown): EncodedPacket {
  if (!Array.isArray(encoded)) throw new TypeError('the custom parser\'s encode() must return an array of strings and binary');
  let out: (string | Buffer)[] | undefined;
  for (let i = 0; i < encoded.length; i++) {
    const part: unknown = encoded[i];
    if (typeof part === 'string' || Buffer.isBuffer(part)) {
      out?.push(part);
      continue;
    }
    out ??= encoded.slice(0, i) as (string | Buffer)[];
    if (part instanceof ArrayBuffer) out.push(Buffer.from(part));
    else if (ArrayBuffer.isView(part)) out.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    else throw new TypeError(`the custom parser's encode() returned a ${typeof part} among its messages`);
  }
  return out ?? (encoded as EncodedPacket);
}
