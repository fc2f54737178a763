/** How a subscription listens: a channel (SUBSCRIBE), a sharded channel (SSUBSCRIBE), a pattern (PSUBSCRIBE). */
export type SubscriptionKind = 'classic' | 'sharded' | 'pattern';

/** What a subscriber connection tells its owner. */
export interface SubscriberListener {
  /** A message on `channel`; `pattern` when it came through a pattern subscription. */
  message(channel: string, message: Buffer, pattern?: string): void;
  /** Connected (again); `resubscribe` says whether the subscriptions must be made again by hand. */
  ready(resubscribe: boolean): void;
  /** The connection is lost; it reconnects on its own. */
  down(): void;
  /** The connection is gone for good. */
  end(): void;
  error(err: Error): void;
}

/** The subscriber connection, whichever library made it. */
export interface RedisSubscriber {
  subscribe(kind: SubscriptionKind, channel: string): Promise<void>;
  unsubscribe(kind: SubscriptionKind, channel: string): Promise<void>;
  /** Stops listening; disconnects the connection when this subscriber made it. */
  close(): void;
}

/** The commands this package sends, whichever library the client comes from. */
export interface RedisDriver {
  /** A Redis Cluster client: a classic PUBLISH reaches the subscribers of every node, but counts one node's. */
  readonly isCluster: boolean;
  /** Whether commands go out now rather than wait in the client's offline queue. */
  ready(): boolean;
  /** Sends a command; string replies (never buffers). */
  command(args: string[]): Promise<unknown>;
  /** Resolves with how many subscribers heard it (of one node, for a classic PUBLISH on a Cluster). */
  publish(channel: string, message: Buffer, sharded: boolean): Promise<number>;
  /** How many connections subscribe to `channel` (SUBSCRIBE, over every node of a Cluster). */
  numsub(channel: string): Promise<number>;
  onError(listener: (err: Error) => void): () => void;
  /** A subscriber: `subClient` (a client of the same library, checked by checkSameLibrary), or a duplicate of this client that it owns. */
  subscriber(subClient: unknown, listener: SubscriberListener): RedisSubscriber;
}

export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
