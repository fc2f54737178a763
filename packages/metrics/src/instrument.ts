import type { IncomingMessage } from 'node:http';
import type { AckTimeout, EngineConnectionError, Server } from '@switchyard/core';
import { Counter, Gauge, Histogram, type Registry as PromRegistry, Registry } from 'prom-client';
import { type ClusterStatsSource, clusterMetrics } from './cluster-metrics.js';
import { EventLoopDelay } from './event-loop-delay.js';
import { type AnySession, SessionWatch } from './session-watch.js';
import { bump, GENERATIONS, type Generation, generationOf, GenerationTally } from './tally.js';

export interface InstrumentOptions {
  /** The registry the metrics join (yours, to serve them beside your own). Default: a new one. */
  registry?: PromRegistry;
  /** Put before every metric's name. Default `switchyard_`. */
  prefix?: string;
  /** Labels added to every metric, with fixed values (`{ service: 'chat' }`). */
  labels?: Record<string, string>;
  /** Buckets of the ack round-trip histogram, in seconds. */
  ackBuckets?: number[];
  /** Whether to measure the event loop's delay (perf_hooks.monitorEventLoopDelay). Default true. */
  eventLoopDelay?: boolean;
  /** A `RedisCluster` of `@switchyard/redis`: its publishes, receptions, forwarded requests and tunnels are counted too. */
  cluster?: ClusterStatsSource;
}

export interface Instrumentation {
  /** Where the metrics are registered: serve it with {@link metricsHandler}. */
  readonly registry: PromRegistry;
  /** Stops counting: every listener is removed and the metrics leave the registry. */
  close(): void;
}

const DEFAULT_ACK_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Counts what a Switchyard server does, from its engines' own events: sessions of every client
 * generation, their packets, bytes, disconnections, refusals and acknowledgements. Nothing is listened
 * to before this is called, and nothing after `close()`.
 */
export function instrument(io: Server, options: InstrumentOptions = {}): Instrumentation {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'switchyard_';
  const fixed = options.labels ?? {};
  const fixedNames = Object.keys(fixed);
  const tallies = new Map<Generation, GenerationTally>(GENERATIONS.map((g) => [g, new GenerationTally()]));
  const refusals = new Map<string, number>();
  const ackTimeouts = new Map<string, number>();
  const watches = new Set<SessionWatch>();
  const engine = io.engine;
  const legacyEngine = io.legacyEngine;

  const labelled = (labels: Record<string, string>): Record<string, string> => ({ ...fixed, ...labels });
  const names = (...own: string[]): string[] => [...fixedNames, ...own];

  /** A counter of one tally field by generation, set from the tallies at scrape. */
  const byGeneration = (name: string, help: string, read: (tally: GenerationTally) => number): Counter =>
    new Counter({
      name: prefix + name,
      help,
      labelNames: names('generation'),
      registers: [registry],
      collect() {
        this.reset();
        for (const [generation, tally] of tallies) this.inc(labelled({ generation }), read(tally));
      },
    });

  const ackRoundTrip = new Histogram({
    name: prefix + 'ack_round_trip_seconds',
    help: 'Time from an event the server sends asking for an acknowledgement to the client answering it',
    labelNames: names('generation'),
    buckets: options.ackBuckets ?? DEFAULT_ACK_BUCKETS,
    registers: [registry],
  });
  const ackLabels = new Map(GENERATIONS.map((generation) => [generation, labelled({ generation })]));

  const metrics: object[] = [
    new Gauge({
      name: prefix + 'sessions',
      help: 'Open sessions (connected clients) by client generation and transport',
      labelNames: names('generation', 'transport'),
      registers: [registry],
      collect() {
        this.reset();
        for (const generation of GENERATIONS) this.set(labelled({ generation, transport: 'websocket' }), 0);
        const count = (session: AnySession): void => {
          this.inc(labelled({ generation: generationOf(session.protocol), transport: session.transport.name }));
        };
        for (const session of engine.sessions.values()) count(session);
        for (const session of legacyEngine?.sessions.values() ?? []) count(session);
      },
    }),
    new Gauge({
      name: prefix + 'sockets',
      help: 'Sockets connected to each namespace',
      labelNames: names('namespace'),
      registers: [registry],
      collect() {
        this.reset();
        for (const [name, nsp] of io.namespaces) {
          const sockets = (nsp as { sockets?: unknown }).sockets;
          if (sockets instanceof Map) this.set(labelled({ namespace: name }), sockets.size);
        }
      },
    }),
    byGeneration('connections_total', 'Sessions opened', (t) => t.connections),
    new Counter({
      name: prefix + 'disconnections_total',
      help: 'Sessions closed, by reason',
      labelNames: names('generation', 'reason'),
      registers: [registry],
      collect() {
        this.reset();
        for (const [generation, tally] of tallies) {
          for (const [reason, n] of tally.disconnections) this.inc(labelled({ generation, reason }), n);
        }
      },
    }),
    byGeneration('slow_consumers_dropped_total', 'Sessions closed because the client read too slowly (ERR_ENGINE_SLOW_CONSUMER)', (t) => t.slowConsumers),
    new Counter({
      name: prefix + 'handshake_refusals_total',
      help: 'Requests the engines refused (connection_error), by client generation, engine.io code and name',
      labelNames: names('generation', 'code', 'name'),
      registers: [registry],
      collect() {
        this.reset();
        for (const [key, n] of refusals) {
          const [generation, code, name] = key.split('\0') as [string, string, string];
          this.inc(labelled({ generation, code, name }), n);
        }
      },
    }),
    byGeneration('packets_received_total', 'Packets received from clients', (t) => t.packetsIn),
    byGeneration('packets_sent_total', 'Packets queued for clients', (t) => t.packetsOut),
    byGeneration('bytes_received_total', 'Bytes of the packets received (their data, UTF-8)', (t) => t.bytesIn),
    byGeneration('bytes_sent_total', 'Bytes of the packets queued (their data, UTF-8)', (t) => t.bytesOut),
    new Counter({
      name: prefix + 'acks_timed_out_total',
      help: 'Acknowledgements the server asked for (an emit or its part of a broadcast) that were not answered before their timeout, by namespace',
      labelNames: names('namespace'),
      registers: [registry],
      collect() {
        this.reset();
        for (const [namespace, n] of ackTimeouts) this.inc(labelled({ namespace }), n);
      },
    }),
    byGeneration('acks_unanswered_total', 'Acknowledgements the server asked for that were not answered before the session closed', (t) => t.acksUnanswered),
    ackRoundTrip,
  ];
  const loop = options.eventLoopDelay === false ? undefined : new EventLoopDelay({ name: prefix + 'event_loop_delay_seconds', labels: fixed, registry });
  if (loop !== undefined) metrics.push(loop.gauge);
  if (options.cluster !== undefined) metrics.push(...clusterMetrics({ cluster: options.cluster, prefix, labels: fixed, registry }));

  const watch = (session: AnySession): void => {
    const generation = generationOf(session.protocol);
    const ack = ackLabels.get(generation)!;
    const observe = (seconds: number): void => ackRoundTrip.observe(ack, seconds);
    watches.add(new SessionWatch(session, tallies.get(generation)!, observe, (w) => watches.delete(w)));
  };
  const onRefusal = (error: EngineConnectionError, req: IncomingMessage): void => {
    bump(refusals, `${refusedGeneration(req)}\0${error.code}\0${error.context.name ?? ''}`);
  };
  const onAckTimeout = (timeout: AckTimeout): void => bump(ackTimeouts, timeout.namespace);
  /** The generation a refused request speaks: 0.9 by its path, the others by their EIO (else `unknown`). */
  const refusedGeneration = (req: IncomingMessage): string => {
    const url = req.url ?? '';
    if (legacyEngine?.matches(url) === true) return '0.9';
    const eio = /[?&]EIO=(\d+)/.exec(url)?.[1];
    return eio === '4' ? '4.x' : eio === '3' ? '2.x' : 'unknown';
  };

  engine.on('connection', watch);
  legacyEngine?.on('connection', watch);
  // io.engine reports the 0.9 engine's refusals too (while it has a listener).
  engine.on('connection_error', onRefusal);
  io.on('ack_timeout', onAckTimeout);

  return {
    registry,
    close() {
      engine.off('connection', watch);
      legacyEngine?.off('connection', watch);
      engine.off('connection_error', onRefusal);
      io.off('ack_timeout', onAckTimeout);
      for (const w of watches) w.stop();
      watches.clear();
      loop?.stop();
      const ours = new Set<object>(metrics);
      for (const metric of registry.getMetricsAsArray()) if (ours.has(metric)) registry.removeSingleMetric(metric.name);
    },
  };
}
