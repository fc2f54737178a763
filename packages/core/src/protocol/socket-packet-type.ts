/** Socket.IO packet types and the decoded packet, shared by the codec and by the checks of packets other parsers decode. */

export const SocketPacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

export type SocketPacketType = (typeof SocketPacketType)[keyof typeof SocketPacketType];

export interface SocketPacket {
  type: SocketPacketType;
  /** `'/'` when absent on the wire. May carry a query (`/admin?token=x`) in protocol v4. */
  nsp: string;
  /** Ack id. */
  id?: number | undefined;
  /** Decoded JSON payload, with the attachments of a binary packet put back in place of their placeholders. */
  data?: unknown;
}
