import type { Logger } from '../engine/logger.js';
import type { Adapter, SocketId } from './adapter.js';
import type { SocketLimits } from './socket-limits.js';

/**
 * What a socket calls on its namespace: the name its packets carry, the adapter that holds its rooms,
 * the host's limits and logger, acknowledgement ids, and the word that it left. The public type of
 * `socket.nsp` stays the whole {@link Namespace} (socket.io's), but the socket's own code needs no more.
 */
export interface SocketNamespace {
  readonly name: string;
  readonly adapter: Adapter;
  readonly host: {
    readonly limits: SocketLimits;
    readonly logger: Logger;
    /** Told when an acknowledgement a socket asked for did not come in time. */
    readonly onAckTimeout?: ((namespace: string, socketId: SocketId, broadcast: boolean) => void) | undefined;
  };
  /** An id for an acknowledgement, unique within the namespace. */
  nextAckId(): number;
  /** @internal The socket left the namespace. */
  _remove(socket: { readonly id: SocketId }): void;
}
