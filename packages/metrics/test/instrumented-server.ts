// The server every metrics test starts: a Switchyard Server on 127.0.0.1, instrumented, its registry served
// at /metrics.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from '@switchyard/core';
import { until } from '@switchyard/testing';
import { instrument, type Instrumentation, metricsHandler } from '../src/index.js';
import { type Samples, scrape } from './scrape.js';

export interface InstrumentedServer {
  io: Server;
  metrics: Instrumentation;
  /** The server's base URL, `http://127.0.0.1:<port>`. */
  url: string;
}

/** Starts the server; the test closes `metrics` and `io`. */
export async function startInstrumented(options: ServerOptions = {}): Promise<InstrumentedServer> {
  const http = createServer();
  const io = new Server(http, options);
  const metrics = instrument(io);
  const serve = metricsHandler(metrics.registry);
  http.on('request', (req, res) => {
    if (req.url === '/metrics') serve(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, metrics, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

/** Scrapes `url`/metrics until `check` holds, and returns that scrape. */
export async function scrapeUntil(url: string, check: (samples: Samples) => boolean, what: string): Promise<Samples> {
  let last: Samples = new Map();
  await until(async () => check((last = await scrape(`${url}/metrics`))), what);
  return last;
}
