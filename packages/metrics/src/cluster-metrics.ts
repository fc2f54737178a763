import { Counter, Gauge, type Registry } from 'prom-client';

/** What a cluster reports of itself: `@switchyard/redis`'s `RedisCluster` (its `stats`). */
export interface ClusterStatsSource {
  readonly stats: {
    readonly published: number;
    readonly received: number;
    readonly forwarded: number;
    readonly served: number;
    readonly tunnels: number;
  };
}

export interface ClusterMetricsInit {
  cluster: ClusterStatsSource;
  prefix: string;
  labels: Record<string, string>;
  registry: Registry;
}

/** The cluster's figures, read from its `stats` at each scrape. */
export function clusterMetrics({ cluster, prefix, labels, registry }: ClusterMetricsInit): object[] {
  const labelNames = Object.keys(labels);
  type Stats = ClusterStatsSource['stats'];
  const counter = (name: string, help: string, read: (stats: Stats) => number): Counter =>
    new Counter({
      name: prefix + name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(labels, read(cluster.stats));
      },
    });
  return [
    counter('cluster_messages_published_total', 'Messages this node published to Redis', (s) => s.published),
    counter('cluster_messages_received_total', "Messages received on this node's Redis subscriptions", (s) => s.received),
    counter('cluster_requests_forwarded_total', 'Polling requests and websocket upgrades forwarded to the node owning their session', (s) => s.forwarded),
    counter('cluster_requests_served_total', 'Forwarded requests and upgrades this node served for another node', (s) => s.served),
    new Gauge({
      name: prefix + 'cluster_tunnels',
      help: 'Websocket tunnels between this node and others open now',
      labelNames,
      registers: [registry],
      collect() {
        this.set(labels, cluster.stats.tunnels);
      },
    }),
  ];
}
