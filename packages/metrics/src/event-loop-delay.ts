import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

const QUANTILES = [0.5, 0.9, 0.99] as const;

export interface EventLoopDelayInit {
  name: string;
  labels: Record<string, string>;
  registry: Registry;
}

/**
 * The event loop's delay, sampled every 10 ms by perf_hooks.monitorEventLoopDelay: its quantiles and
 * maximum over the time since the previous scrape.
 */
export class EventLoopDelay {
  readonly gauge: Gauge;
  readonly #histogram: IntervalHistogram;

  constructor(init: EventLoopDelayInit) {
    const histogram = (this.#histogram = monitorEventLoopDelay({ resolution: 10 }));
    histogram.enable();
    const fixed = init.labels;
    this.gauge = new Gauge({
      name: init.name,
      help: 'Event loop delay since the previous scrape (quantile 1 is the maximum)',
      labelNames: [...Object.keys(fixed), 'quantile'],
      registers: [init.registry],
      collect() {
        this.reset();
        if (histogram.count === 0) return;
        for (const q of QUANTILES) this.set({ ...fixed, quantile: String(q) }, histogram.percentile(q * 100) / 1e9);
        this.set({ ...fixed, quantile: '1' }, histogram.max / 1e9);
        histogram.reset();
      },
    });
  }

  stop(): void {
    this.#histogram.disable();
  }
}
