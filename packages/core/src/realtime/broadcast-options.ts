export type Room = string;
/** The flags of an emit that sets none: shared, frozen. */
export const NO_FLAGS: BroadcastFlags = Object.freeze({});

/** No rooms: shared by every selection that names none (never written to). */
export const NO_ROOMS: ReadonlySet<Room> = new Set();

/** One room or several, wherever rooms are chosen. */
export type Rooms = Room | readonly Room[];
export type SocketId = string;

/** Flags of one emit or broadcast. */
export interface BroadcastFlags {
  /** Drop the packet for a socket whose transport cannot take it now. */
  volatile?: boolean;
  /** Ask for compression (permessage-deflate / http compression). Default true. */
  compress?: boolean;
  /** Only this process's sockets, never the other nodes of a cluster. */
  local?: boolean;
  /** Milliseconds to wait for acknowledgements. */
  timeout?: number;
}

/** Which sockets a broadcast or a room operation reaches. */
export interface BroadcastOptions {
  /** Sockets in any of these rooms; every socket of the namespace when empty. */
  rooms: ReadonlySet<Room>;
  /** Minus the sockets in any of these rooms. */
  except: ReadonlySet<Room>;
  flags: BroadcastFlags;
}
