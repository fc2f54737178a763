/**
 * Which acknowledgement a packet asks for or answers, read from the first bytes of its text: the key is the
 * namespace (0.9: endpoint) and the id. Only what the server asks for is followed (its events with an id,
 * answered by the client's acks); a binary attachment (a Buffer) never carries one.
 */

const SLASH = 0x2f;
const COLON = 0x3a;

/** The id starting at `i` (digits), or -1. */
function idAt(text: string, i: number): number {
  let id = -1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) break;
    id = id === -1 ? c : id * 10 + c;
  }
  return id;
}

/**
 * A Socket.IO packet (`2/chat,17["ev"]`, `51-17["ev",{…}]`): its `nsp#id` when its type is `plain` or
 * `binary`, else undefined.
 */
function socketIoAck(data: string | Buffer | undefined, plain: number, binary: number): string | undefined {
  if (typeof data !== 'string') return undefined;
  const type = data.charCodeAt(0);
  if (type !== plain && type !== binary) return undefined;
  let i = 1;
  if (type === binary) {
    i = data.indexOf('-', 1) + 1;
    if (i === 0) return undefined;
  }
  let nsp = '/';
  if (data.charCodeAt(i) === SLASH) {
    const comma = data.indexOf(',', i);
    if (comma === -1) return undefined;
    nsp = data.slice(i, comma);
    i = comma + 1;
  }
  const id = idAt(data, i);
  return id === -1 ? undefined : `${nsp}#${id}`;
}

/** An event the server sends over Engine.IO asking for an acknowledgement. */
export function askedAck(data: string | Buffer | undefined): string | undefined {
  return socketIoAck(data, 0x32, 0x35);
}

/** An acknowledgement a client sends over Engine.IO. */
export function answeredAck(data: string | Buffer | undefined): string | undefined {
  return socketIoAck(data, 0x33, 0x36);
}

/** A 0.9 message, JSON message or event the server sends with an id (`5:17+::{…}`). */
export function askedLegacyAck(data: string | Buffer | undefined): string | undefined {
  if (typeof data !== 'string') return undefined;
  const type = data.charCodeAt(0);
  if (type < 0x33 || type > 0x35 || data.charCodeAt(1) !== COLON) return undefined;
  const id = idAt(data, 2);
  if (id === -1) return undefined;
  const start = data.indexOf(':', 2) + 1;
  const end = start === 0 ? -1 : data.indexOf(':', start);
  return end === -1 ? undefined : `${data.slice(start, end)}#${id}`;
}

/** A 0.9 ack from the client (`6:::17+[…]`): the id is the start of its data. */
export function answeredLegacyAck(data: string | Buffer | undefined): string | undefined {
  if (typeof data !== 'string' || data.charCodeAt(0) !== 0x36 || data.charCodeAt(1) !== COLON) return undefined;
  const idEnd = data.indexOf(':', 2);
  const endpointEnd = idEnd === -1 ? -1 : data.indexOf(':', idEnd + 1);
  if (endpointEnd === -1) return undefined;
  const id = idAt(data, endpointEnd + 1);
  return id === -1 ? undefined : `${data.slice(idEnd + 1, endpointEnd)}#${id}`;
}

