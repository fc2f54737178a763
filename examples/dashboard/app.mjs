// A live dashboard of a Switchyard server's own Prometheus metrics. The server counts its clients with
// @switchyard/metrics and serves them at /metrics; the page at / reads /metrics every second, as
// Prometheus would, and draws the sessions of each client generation and the packets per second with
// uPlot (served from the installed npm package, so the page works offline). /client.html connects one
// client of a chosen generation (4.x, 2.5.0 or 0.9.16), so the page's buttons can add some in iframes.
// `createDashboardApp(serverOptions)` returns an http server that is not listening yet.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { instrument, metricsHandler } from '@switchyard/metrics';
import { serveAssets } from 'switchyard-example-assets';
import { notFound, packageFiles, serveFile, servePage } from 'switchyard-example-assets/example-server';

const page = readFileSync(new URL('./index.html', import.meta.url));
const clientPage = readFileSync(new URL('./client.html', import.meta.url));
const vendor = packageFiles(import.meta.url, {
  '/vendor/uPlot.iife.min.js': 'uplot/dist/uPlot.iife.min.js',
  '/vendor/uPlot.min.css': 'uplot/dist/uPlot.min.css',
  '/vendor/socket.io-2.5.0.js': 'socket.io-client-v2/dist/socket.io.js',
  '/vendor/socket.io-0.9.16.js': 'socket.io-client-v09/dist/socket.io.js',
});

export function createDashboardApp(serverOptions = {}) {
  // What Switchyard does not answer (its path /socket.io/ and its client bundle) comes here.
  const httpServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') return serveMetrics(req, res);
    if (path === '/client.html') return sendPage(res, clientPage);
    if (!serveAssets(req, res) && !servePage(req, res, page) && !serveFile(req, res, vendor)) notFound(res);
  });
  const io = new Server(httpServer, serverOptions);
  // Something for the clients to do: an echo with an acknowledgement.
  io.on('connection', (socket) => socket.on('echo', (value, ack) => typeof ack === 'function' && ack(value)));

  const metrics = instrument(io);
  const serveMetrics = metricsHandler(metrics.registry);
  return { httpServer, io, metrics };
}

function sendPage(res, html) {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': html.length }).end(html);
}
