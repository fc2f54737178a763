import type { EnginePacket } from '../protocol/engine-packet.js';
import { decodeEio4Payload, EIO4_SEPARATOR, encodeEio4PollingPacket } from '../protocol/eio4.js';
import { PreparedMessage } from './prepared-message.js';
import type { OutgoingItem } from './transport.js';

/** A GET answer: its body and content type. */
export interface PollingBody {
  readonly body: string | Buffer;
  readonly contentType: string;
}

/** How one kind of polling client frames its bodies (Engine.IO v4, v3 text or binary, v3 JSONP). */
export interface PollingFormat {
  /** Whether the client may POST `application/octet-stream` bodies. */
  readonly binaryBodies: boolean;
  /** Every queued packet as one GET answer. */
  encode(items: readonly OutgoingItem[]): PollingBody;
  /** A POST body as packets; `binary` when it came as `application/octet-stream`. Throws ProtocolError. */
  decode(body: Buffer, binary: boolean): EnginePacket[];
}

export const TEXT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

function eio4Text(item: OutgoingItem): string {
  return item instanceof PreparedMessage ? item.pollingText : encodeEio4PollingPacket(item);
}

/** Engine.IO v4: text joined by `\x1e`, binary as `b<base64>`; a prepared message's text is reused as is. */
export const EIO4_POLLING_FORMAT: PollingFormat = {
  binaryBodies: false,
  encode(items) {
    let out = eio4Text(items[0]!);
    for (let i = 1; i < items.length; i++) out += EIO4_SEPARATOR + eio4Text(items[i]!);
    return { body: out, contentType: TEXT_CONTENT_TYPE };
  },
  decode(body) {
    return decodeEio4Payload(body.toString('utf8'));
  },
};
