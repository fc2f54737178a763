import { deserialize, serialize } from 'node:v8';
import type { AdapterConstructor, AdapterNamespace } from './adapter.js';
import { ClusterAdapter, type ClusterAdapterOptions, type ClusterMessage } from './cluster-adapter.js';

/**
 * A cluster inside one process: every Server given `cluster.adapter` behaves as one node of a cluster.
 * Messages are serialised and delivered on a later turn of the event loop, as over a network, so what
 * works here works with a real transport between processes (see `@switchyard/redis`).
 */
export class InMemoryCluster {
  readonly #nodes = new Set<ClusterAdapter & { deliver(message: ClusterMessage): void }>();
  readonly adapter: AdapterConstructor;

  constructor(options: ClusterAdapterOptions = {}) {
    const nodes = this.#nodes;
    this.adapter = class InMemoryClusterAdapter extends ClusterAdapter {
      constructor(nsp: AdapterNamespace) {
        super(nsp, options);
        nodes.add(this);
      }

      protected publish(message: ClusterMessage): void {
        const bytes = serialize(message);
        for (const node of nodes) {
          if (node !== this) setImmediate(() => node.deliver(deserialize(bytes) as ClusterMessage));
        }
      }

      deliver(message: ClusterMessage): void {
        if (nodes.has(this)) this.onMessage(message);
      }

      override close(): Promise<void> | void {
        const result = super.close();
        nodes.delete(this);
        return result;
      }
    };
  }

  /** How many adapters (namespaces × servers) are attached. */
  get size(): number {
    return this.#nodes.size;
  }
}
