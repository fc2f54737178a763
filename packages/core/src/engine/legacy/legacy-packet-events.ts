import type { EnginePacketEvent } from '../packet-events.js';

/**
 * A 0.9 packet as the `packet` and `packetCreate` events hand it out: engine.io's shape, its type the
 * nearest engine.io one (a heartbeat is a `ping` from the server and a `pong` from the client; events,
 * messages, acks and errors are `message`), its data the packet's text as on the wire (`5:1+::{…}`).
 */
export function legacyPacketEvent(text: string, fromServer: boolean): EnginePacketEvent {
  switch (text.charCodeAt(0)) {
    case 0x30: // 0 disconnect
      return { type: 'close', data: text };
    case 0x31: // 1 connect
      return { type: 'open', data: text };
    case 0x32: // 2 heartbeat
      return { type: fromServer ? 'ping' : 'pong', data: text };
    case 0x38: // 8 noop
      return { type: 'noop', data: text };
    default:
      return fromServer ? { type: 'message', data: text, options: { compress: true } } : { type: 'message', data: text };
  }
}
