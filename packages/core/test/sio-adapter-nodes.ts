// A cluster adapter built on socket.io-adapter, as a third party writes one, with every node in this
// process: what one node publishes reaches the others in memory, on the next turn of the event loop.
import { ClusterAdapterWithHeartbeat, type ClusterMessage, type ClusterResponse, type Adapter as SioAdapter } from 'socket.io-adapter';

/** A fresh adapter class for the Servers of one test: its instances are the nodes, and a closed one leaves. */
export function inProcessSioAdapter(options: { heartbeatInterval?: number } = {}): typeof SioAdapter {
  const nodes: InProcess[] = [];
  class InProcess extends ClusterAdapterWithHeartbeat {
    constructor(nsp: ConstructorParameters<typeof SioAdapter>[0]) {
      super(nsp, options);
      nodes.push(this);
    }

    protected override doPublish(message: ClusterMessage): Promise<string> {
      for (const node of nodes) if (node !== this) setImmediate(() => node.onMessage(message, undefined));
      return Promise.resolve('');
    }

    protected override doPublishResponse(_uid: string, response: ClusterResponse): Promise<void> {
      for (const node of nodes) if (node !== this) setImmediate(() => node.onResponse(response));
      return Promise.resolve();
    }

    override close(): void {
      super.close();
      nodes.splice(nodes.indexOf(this), 1);
    }
  }
  return InProcess;
}
