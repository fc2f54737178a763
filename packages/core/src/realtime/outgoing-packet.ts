import { PreparedMessage } from '../engine/prepared-message.js';
import { encodeSocketPacket, type SocketPacket, SocketPacketDecoder } from '../protocol/socket-packet.js';
import type { CustomCodec, EncodedPacket } from './custom-parser.js';
import { type RealtimeError, unencodableError } from './errors.js';

/** A packet in the Socket.IO (v4/v5) encoding: the text, then one Buffer per binary attachment. */
export type SocketIoEncoding = readonly [string, ...Buffer[]];

/**
 * Another wire a packet can be written in (the 0.9 protocol's, see legacy-wire.ts). The object itself is
 * the key under which an {@link OutgoingPacket} keeps its encoding: make one per format, once.
 */
export interface WireFormat<T> {
  /** The packet in this format; may throw (the packet cannot be encoded). */
  encode(packet: SocketPacket): T;
}

/**
 * A packet on its way out, encoded at most once per wire format however many sockets receive it.
 * A broadcast to a thousand sockets encodes once. It is built from the packet, or from its Socket.IO
 * encoding when someone else (an adapter built on socket.io-adapter) already encoded it: the packet is
 * then decoded only if a client of another wire format (0.9) needs it. With a custom parser (the `parser`
 * option), the Engine.IO v4 clients get its encoding, also made once; an adapter's encoding is then the
 * parser's, decoded with it again only for the clients of other generations.
 */
export class OutgoingPacket {
  /** Whether the packet goes to several sockets (a broadcast). */
  readonly #shared: boolean;
  #packet: SocketPacket | undefined;
  #socketIo: SocketIoEncoding | undefined;
  #prepared: PreparedMessage[] | undefined;
  /**
   * The encoding in another wire format, made on first use, and that format: one slot, for the one other
   * format there is (the 0.9 wire). A packet asked for a second format encodes it for each recipient.
   */
  #otherFormat: WireFormat<unknown> | undefined;
  #otherEncoding: unknown;
  /** The custom parser's encoding, as Engine.IO messages. */
  #custom: readonly PreparedMessage[] | undefined;
  /** What a packet made by {@link OutgoingPacket.fromCustom} came from. */
  #customSource: { readonly codec: CustomCodec; readonly messages: EncodedPacket } | undefined;
  /** Why encoding failed (JSON.stringify on data nested too deep, a cycle, a BigInt). */
  #failure: RealtimeError | undefined;

  constructor(packet: SocketPacket | SocketIoEncoding, shared = false) {
    if (isEncoding(packet)) this.#socketIo = packet;
    else this.#packet = packet;
    this.#shared = shared;
  }

  /** A packet a custom parser encoded (an adapter built on socket.io-adapter encodes with `io.encoder`). */
  static fromCustom(messages: EncodedPacket, codec: CustomCodec, shared = false): OutgoingPacket {
    const outgoing = new OutgoingPacket(EMPTY, shared);
    outgoing.#socketIo = undefined;
    outgoing.#customSource = { codec, messages };
    return outgoing;
  }

  get packet(): SocketPacket {
    if (this.#packet === undefined) {
      const source = this.#customSource;
      this.#packet = source === undefined ? decodeEncoding(this.#socketIo!) : source.codec.decode(source.messages);
    }
    return this.#packet;
  }

  /** The Socket.IO (v4/v5) encoding: the text, then one Buffer per binary attachment. */
  get socketIo(): SocketIoEncoding {
    return (this.#socketIo ??= this.#attempt(() => encodeSocketPacket(this.packet)));
  }

  /** The custom parser's encoding as Engine.IO messages, encoded and framed once for every recipient. */
  preparedWith(codec: CustomCodec): readonly PreparedMessage[] {
    if (this.#custom === undefined) {
      const source = this.#customSource;
      this.#custom = this.#attempt(() => codec.prepare(source?.codec === codec ? source.messages : codec.encode(this.packet), this.#shared));
    }
    return this.#custom;
  }

  /** The Socket.IO encoding as Engine.IO messages, framed once and shared by every recipient. */
  get prepared(): readonly PreparedMessage[] {
    return (this.#prepared ??= this.socketIo.map((part) => new PreparedMessage(part, this.#shared)));
  }

  /** The packet in `format`, encoded once for every recipient that writes that format. */
  encodedFor<T>(format: WireFormat<T>): T {
    if (this.#otherFormat === format) return this.#otherEncoding as T;
    const encoded = this.#attempt(() => format.encode(this.packet));
    if (this.#otherFormat === undefined) {
      this.#otherFormat = format;
      this.#otherEncoding = encoded;
    }
    return encoded;
  }

  /** Runs an encoding; a failure is kept and thrown again at once to every later recipient (it may have cost 100 ms). */
  #attempt<T>(encode: () => T): T {
    if (this.#failure !== undefined) throw this.#failure;
    try {
      return encode();
    } catch (error) {
      throw (this.#failure = unencodableError(this.#packet?.nsp, error));
    }
  }
}

const EMPTY: SocketIoEncoding = [''];

function isEncoding(value: SocketPacket | SocketIoEncoding): value is SocketIoEncoding {
  return Array.isArray(value);
}

function decodeEncoding(parts: SocketIoEncoding): SocketPacket {
  const decoder = new SocketPacketDecoder({ maxAttachments: parts.length - 1 });
  let packet: SocketPacket | null = null;
  for (const part of parts) packet = decoder.add(part);
  if (packet === null) throw new TypeError('a Socket.IO encoding whose attachments are missing');
  return packet;
}
