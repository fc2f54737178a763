import { encodeLegacyPacket, LegacyErrorReason, type LegacyPacket, LegacyPacketType } from '../protocol/legacy-packet.js';
import { type SocketPacket, SocketPacketType } from '../protocol/socket-packet.js';
import type { WireFormat } from './outgoing-packet.js';

/** The 0.9 endpoint of a namespace: `''` for `/`. */
export function endpointOf(nsp: string): string {
  return nsp === '/' ? '' : nsp;
}

/** The namespace of a 0.9 endpoint. */
export function namespaceOf(endpoint: string): string {
  if (endpoint === '') return '/';
  return endpoint.startsWith('/') ? endpoint : '/' + endpoint;
}

/**
 * A Socket.IO packet as the 0.9 protocol writes it, or undefined when it has no 0.9 form (the
 * connection of `/`, which the transport already announced with `1::`).
 *
 * - EVENT → `5:<id>+:<ep>:{"name","args"}`; a `message` event with one argument and no ack becomes a
 *   message packet (`3`, for a string) or a json packet (`4`), as 0.9 servers sent `send()`.
 * - ACK → `6::<ep>:<id>+[…]`; CONNECT → `1::<ep>`; DISCONNECT → `0::<ep>`;
 *   CONNECT_ERROR → `7::<ep>:2` (unauthorized: the client emits `connect_failed`).
 */
export function toLegacyText(packet: SocketPacket): string | undefined {
  const legacy = toLegacyPacket(packet);
  return legacy === undefined ? undefined : encodeLegacyPacket(legacy);
}

/** The 0.9 wire as an outgoing packet's format: each packet is written in it once, whatever the number of 0.9 clients. */
export const LEGACY_WIRE: WireFormat<string | undefined> = { encode: toLegacyText };

function toLegacyPacket(packet: SocketPacket): LegacyPacket | undefined {
  const endpoint = endpointOf(packet.nsp);
  switch (packet.type) {
    case SocketPacketType.CONNECT:
      return endpoint === '' ? undefined : { type: LegacyPacketType.CONNECT, endpoint };
    case SocketPacketType.DISCONNECT:
      return { type: LegacyPacketType.DISCONNECT, endpoint };
    case SocketPacketType.CONNECT_ERROR:
      return { type: LegacyPacketType.ERROR, endpoint, reason: LegacyErrorReason.UNAUTHORIZED };
    case SocketPacketType.ACK:
    case SocketPacketType.BINARY_ACK:
      return { type: LegacyPacketType.ACK, endpoint, ackId: packet.id ?? 0, args: (packet.data as unknown[] | undefined) ?? [] };
    default: {
      const all = packet.data as [string | number, ...unknown[]];
      const name = all[0];
      if (name === 'message' && all.length === 2 && packet.id === undefined) {
        const data = all[1];
        return typeof data === 'string' ? { type: LegacyPacketType.MESSAGE, endpoint, data } : { type: LegacyPacketType.JSON, endpoint, data };
      }
      const event: LegacyPacket = { type: LegacyPacketType.EVENT, endpoint, name: String(name), args: all.slice(1) };
      if (packet.id !== undefined) {
        event.id = packet.id;
        event.ackData = true;
      }
      return event;
    }
  }
}
