import type { ForwardMessage } from './forward-messages.js';
import type { Loopback } from './loopback.js';
import type { OutboundQueue } from './outbound-queue.js';

/**
 * What the request forwarding and the websocket tunnels of a RedisRouter share: this node's tag, the
 * local Server (through the loopback), and the ways to reach another node.
 */
export interface RouterLink {
  /** This node's tag: the other node sends its answers to the channel it names. */
  readonly tag: string;
  /** The local Server, once the router is bound to one. */
  loopback(): Loopback | undefined;
  /** True once the router closed. */
  closed(): boolean;
  /** Answers and tunnel data, gathered per request and turn of the event loop. */
  readonly outbound: OutboundQueue;
  /** A request or tunnel opened: the owner probe runs while there are some. */
  watch(): void;
  /** Publishes to a node; `onNobody` runs when no node listens there (after one retry for a first message). */
  publish(target: string, message: ForwardMessage, onNobody: () => void): void;
  /** Sends a control message (an abort) to a node, once, whether or not it hears it. */
  send(target: string, message: ForwardMessage): void;
}

export function noop(): void {}
