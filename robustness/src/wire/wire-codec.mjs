// The text wire of every client generation, just enough of it for cheap load and fuzz clients (see
// /docs/client-generations.md and the protocol notes): Engine.IO packets and polling payloads for v4 and v3,
// Socket.IO v5/v4 packets, and the 0.9 packet with its `\ufffd` framing. Pure functions, no I/O.

/** The three wire generations a client may speak. */
export const GENERATIONS = ['eio4', 'eio3', '0.9'];

const RECORD_SEPARATOR = '\x1e';
const FRAME = '\ufffd';

// ---- Engine.IO polling payloads -------------------------------------------------------------------

/** Joins engine packets into one polling body as `generation` frames it. */
export function encodePayload(generation, packets) {
  if (generation === 'eio4') return packets.join(RECORD_SEPARATOR);
  if (generation === 'eio3') return packets.map((p) => `${p.length}:${p}`).join('');
  return packets.length === 1 ? packets[0] : packets.map((p) => `${FRAME}${p.length}${FRAME}${p}`).join('');
}

/** Splits a polling body into engine packets; throws on a malformed length prefix. */
export function decodePayload(generation, body) {
  if (generation === 'eio4') return body === '' ? [] : body.split(RECORD_SEPARATOR);
  if (generation === 'eio3') return splitPrefixed(body, ':', '');
  if (!body.startsWith(FRAME)) return body === '' ? [] : [body];
  return splitPrefixed(body, FRAME, FRAME);
}

function splitPrefixed(body, separator, lead) {
  const packets = [];
  let i = 0;
  while (i < body.length) {
    if (lead !== '') {
      if (!body.startsWith(lead, i)) throw new Error(`bad frame at ${i}`);
      i += lead.length;
    }
    const end = body.indexOf(separator, i);
    const length = Number(body.slice(i, end));
    if (end < 0 || !Number.isSafeInteger(length) || end + 1 + length > body.length) throw new Error(`bad length at ${i}`);
    packets.push(body.slice(end + 1, end + 1 + length));
    i = end + 1 + length;
  }
  return packets;
}

// ---- Socket.IO v5 / v4 packets (inside an Engine.IO `4` message) ----------------------------------

/** `<type>[/nsp,][id][json]` for a text packet (no attachments). */
export function encodeSocketPacket({ type, nsp = '/', id, data }) {
  const ns = nsp === '/' ? '' : `${nsp},`;
  return `${type}${ns}${id ?? ''}${data === undefined ? '' : JSON.stringify(data)}`;
}

/** Parses a text Socket.IO packet; `null` when it does not parse (binary packets are not decoded). */
export function decodeSocketPacket(text) {
  const match = /^([0-6])(?:\d+-)?(\/[^,]*,)?(\d*)([\s\S]*)$/.exec(text);
  if (match === null) return null;
  let data;
  if (match[4] !== '') {
    try {
      data = JSON.parse(match[4]);
    } catch {
      return null;
    }
  }
  return { type: Number(match[1]), nsp: match[2] === undefined ? '/' : match[2].slice(0, -1), id: match[3] === '' ? undefined : Number(match[3]), data };
}

// ---- the 0.9 packet: `type:id[+]:endpoint[:data]` --------------------------------------------------

/** `nsp` `/` is the empty endpoint. */
export function encodeLegacyPacket({ type, id = '', ack = false, nsp = '/', data }) {
  const endpoint = nsp === '/' ? '' : nsp;
  const head = `${type}:${id}${ack ? '+' : ''}:${endpoint}`;
  return data === undefined ? head : `${head}:${data}`;
}

export function decodeLegacyPacket(text) {
  const match = /^(\d):(\d*\+?):([^:]*)(?::([\s\S]*))?$/.exec(text);
  if (match === null) return null;
  return { type: Number(match[1]), id: match[2], nsp: match[3] === '' ? '/' : match[3], data: match[4] };
}
