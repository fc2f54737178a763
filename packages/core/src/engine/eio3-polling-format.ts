import { parse as parseQueryString } from 'node:querystring';
import { decodeEio3BinaryPayload, decodeEio3Payload, eio3BinaryRecord, eio3TextRecord, encodeEio3Packet, encodeEio3TextPacket } from '../protocol/eio3.js';
import { ProtocolError, ProtocolErrorCode } from '../protocol/errors.js';
import { type PollingFormat, TEXT_CONTENT_TYPE } from './polling-format.js';
import { PreparedMessage } from './prepared-message.js';
import { jsonpIndex, scriptString } from './script-string.js';
import type { OutgoingItem } from './transport.js';

function textRecord(item: OutgoingItem): string {
  return item instanceof PreparedMessage ? item.eio3TextRecord : eio3TextRecord(encodeEio3TextPacket(item));
}

function binaryRecord(item: OutgoingItem): Buffer {
  return item instanceof PreparedMessage ? item.eio3BinaryRecord : eio3BinaryRecord(encodeEio3Packet(item));
}

function isBinary(item: OutgoingItem): boolean {
  return Buffer.isBuffer(item.data);
}

function textPayload(items: readonly OutgoingItem[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += textRecord(items[i]!);
  return out;
}

function decodeBody(body: Buffer, binary: boolean): ReturnType<typeof decodeEio3Payload> {
  return binary ? decodeEio3BinaryPayload(body) : decodeEio3Payload(body.toString('utf8'));
}

/** Engine.IO v3 for clients that asked for `b64=1`: text records, binary as `b4<base64>`. */
const EIO3_TEXT: PollingFormat = {
  binaryBodies: true,
  encode: (items) => ({ body: textPayload(items), contentType: TEXT_CONTENT_TYPE }),
  decode: decodeBody,
};

/** Engine.IO v3 for XHR2 clients: a binary payload as soon as one message is binary, text otherwise. */
const EIO3_BINARY: PollingFormat = {
  binaryBodies: true,
  encode(items) {
    if (!items.some(isBinary)) return { body: textPayload(items), contentType: TEXT_CONTENT_TYPE };
    return { body: Buffer.concat(items.map(binaryRecord)), contentType: 'application/octet-stream' };
  },
  decode: decodeBody,
};

/**
 * The client escapes newlines before putting the payload in a form field (browsers turn a raw `\n`
 * into `\r\n` there): a newline travels as `\n`, a backslash-n of the data as `\\n`. This undoes it.
 */
function unescapeNewlines(data: string): string {
  return data.replace(/\\\\n|\\n/g, (match) => (match.length === 3 ? '\\n' : '\n'));
}

/** Engine.IO v3 JSONP polling: GET answers `___eio[N]("<payload>");`, POST sends a form field `d`. */
function jsonpFormat(index: string): PollingFormat {
  const head = `___eio[${index}](`;
  return {
    binaryBodies: false,
    encode: (items) => ({ body: head + scriptString(textPayload(items)) + ');', contentType: 'text/javascript; charset=UTF-8' }),
    decode(body) {
      const data = parseQueryString(body.toString('utf8')).d;
      if (typeof data !== 'string') throw new ProtocolError(ProtocolErrorCode.INVALID_PAYLOAD, 'JSONP body without a "d" field');
      return decodeEio3Payload(unescapeNewlines(data));
    },
  };
}

/**
 * The polling format an Engine.IO v3 handshake asks for: JSONP with `j=<index>`, text with `b64`,
 * binary payloads otherwise. Undefined when the JSONP index is not a plain number.
 */
export function eio3PollingFormat(query: { readonly b64?: string | undefined; readonly j?: string | undefined }): PollingFormat | undefined {
  if (query.j !== undefined) {
    const index = jsonpIndex(query.j);
    return index === undefined ? undefined : jsonpFormat(index);
  }
  return query.b64 === undefined ? EIO3_BINARY : EIO3_TEXT;
}
