/**
 * Bounds on what one client may make the server hold, each far above what an honest app uses, so that a
 * client (or a bug driven by one) cannot grow a socket without end.
 */
export interface SocketLimits {
  /**
   * Rooms one socket may be in, its own id room included. Default 1000: a chat client in every channel of a
   * large workspace is in a few hundred; 20,000 rooms cost about 6 MB.
   */
  maxRoomsPerSocket: number;
  /** Namespaces one connection may join at once. Default 100 (apps use a handful). */
  maxNamespacesPerClient: number;
  /**
   * Acknowledgements a socket's own emits may wait for at once (a client that never acks would otherwise
   * pile them up when no timeout is set). Default 10,000.
   */
  maxPendingAcks: number;
}

export const DEFAULT_SOCKET_LIMITS: Readonly<SocketLimits> = {
  maxRoomsPerSocket: 1000,
  maxNamespacesPerClient: 100,
  maxPendingAcks: 10_000,
};

/** The limits given as options, checked (positive integers), with the defaults for the rest. */
export function resolveSocketLimits(options: { [K in keyof SocketLimits]?: number | undefined }): SocketLimits {
  const limits = { ...DEFAULT_SOCKET_LIMITS };
  for (const key of Object.keys(DEFAULT_SOCKET_LIMITS) as Array<keyof SocketLimits>) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`option ${key} must be a positive integer, got ${String(value)}`);
    limits[key] = value;
  }
  return limits;
}
