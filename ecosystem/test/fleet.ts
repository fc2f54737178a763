// Starts a fleet of cluster nodes, one process each, joined by one of socket.io's adapters.
import { type ClusterNode, forkClusterNodes } from '@switchyard/testing';

export const NODE_SCRIPT = new URL('../nodes/node.mjs', import.meta.url);

export interface FleetOptions {
  /** An adapter of nodes/adapters.mjs, e.g. `redis/ioredis`. */
  adapter: string;
  /** The channel (or stream) key the nodes share. */
  key: string;
  /** Which server each node runs: Switchyard by default, `socket.io` for socket.io 4. */
  serverOf?(index: number): 'switchyard' | 'socket.io';
  recovery?: boolean;
}

/** `count` nodes, started side by side; if one fails to start, those that did are closed. */
export async function startFleet(count: number, options: FleetOptions): Promise<ClusterNode[]> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, first) =>
      forkClusterNodes(NODE_SCRIPT, {
        first,
        env: {
          ADAPTER: options.adapter,
          CLUSTER_KEY: options.key,
          NODE_SERVER: options.serverOf?.(first) ?? 'switchyard',
          RECOVERY: options.recovery === true ? '1' : '0',
        },
      }),
    ),
  );
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(nodes.map((node) => node.close()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return nodes;
}
