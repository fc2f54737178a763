/** An adapter of socket.io's, made for one cluster key, with what releases its clients. */
export interface MadeAdapter {
  adapter: (nsp: unknown) => unknown;
  close(): Promise<void>;
}

export const REDIS_URL: string;
export const PG_URL: string;
export const ATTACHMENTS_TABLE: string;
export const adapters: Record<string, (key: string) => Promise<MadeAdapter>>;
/** @socket.io/cluster-adapter's createAdapter and setupPrimary, re-exported for the bench. */
export const clusterAdapter: () => (nsp: unknown) => unknown;
export const setupClusterPrimary: () => void;
