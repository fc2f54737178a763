/**
 * What each Socket.IO packet type may carry, checked on what the peer sent: by our own decoder, and on the
 * packets a custom parser (the `parser` option) decodes, which may check less or nothing.
 */
import { invalidPacket } from './errors.js';
import { isPlainObject } from './socket-binary.js';
import { type SocketPacket, SocketPacketType } from './socket-packet-type.js';

/** Event names a peer may not emit. */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

const MAX_TYPE = SocketPacketType.BINARY_ACK;

/**
 * A packet someone else's decoder made of what the peer sent, checked as our decoder checks its own: an
 * object with a known `type`, a string `nsp`, a non-negative integer `id` if any, and the payload its type
 * allows (an EVENT's name neither reserved nor of another type). Returns a packet with only those fields.
 * Throws ProtocolError (code ERR_PROTOCOL_INVALID_PACKET) otherwise.
 */
export function checkSocketPacket(value: unknown): SocketPacket {
  if (!isPlainObject(value)) throw invalidPacket('decoded packet is not an object');
  const { type, nsp, id, data } = value;
  if (typeof type !== 'number' || !Number.isInteger(type) || type < SocketPacketType.CONNECT || type > MAX_TYPE) {
    throw invalidPacket(`unknown packet type ${describe(type)}`);
  }
  if (typeof nsp !== 'string') throw invalidPacket('decoded packet without a string nsp');
  if (id !== undefined && id !== null && !(typeof id === 'number' && Number.isSafeInteger(id) && id >= 0)) {
    throw invalidPacket(`invalid ack id ${describe(id)}`);
  }
  const ackId = typeof id === 'number' ? id : undefined;
  checkPayload(type as SocketPacketType, ackId, data);
  const packet: SocketPacket = { type: type as SocketPacketType, nsp };
  if (ackId !== undefined) packet.id = ackId;
  if (data !== undefined) packet.data = data;
  return packet;
}

/** A value in an error message, without calling anything of it. */
function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value;
}

/** Enforces what each packet type may carry; `data` is undefined when absent. */
export function checkPayload(type: SocketPacketType, id: number | undefined, data: unknown): void {
  switch (type) {
    case SocketPacketType.CONNECT:
      if (data !== undefined && !isPlainObject(data)) throw invalidPacket('CONNECT payload must be an object');
      break;
    case SocketPacketType.DISCONNECT:
      if (data !== undefined) throw invalidPacket('DISCONNECT carries no payload');
      break;
    case SocketPacketType.CONNECT_ERROR:
      if (typeof data !== 'string' && !isPlainObject(data)) {
        throw invalidPacket('CONNECT_ERROR payload must be a string or an object');
      }
      break;
    case SocketPacketType.EVENT:
    case SocketPacketType.BINARY_EVENT: {
      if (!Array.isArray(data) || data.length === 0) throw invalidPacket('EVENT payload must be a non-empty array');
      const name: unknown = data[0];
      if (typeof name === 'string') {
        if (RESERVED_EVENTS.has(name)) throw invalidPacket(`reserved event name ${JSON.stringify(name)}`);
      } else if (typeof name !== 'number') {
        throw invalidPacket('event name must be a string or a number');
      }
      return;
    }
    case SocketPacketType.ACK:
    case SocketPacketType.BINARY_ACK:
      if (id === undefined) throw invalidPacket('ACK without an ack id');
      if (!Array.isArray(data)) throw invalidPacket('ACK payload must be an array');
      return;
  }
  if (id !== undefined) throw invalidPacket(`ack id on a packet of type ${type}`);
}
