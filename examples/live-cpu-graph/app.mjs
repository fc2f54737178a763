// gevent-socketio's live_cpu_graph over Switchyard: the server's CPU load, pushed every second to every
// page that watches, drawn there with uPlot (served from the installed npm package, so the page works
// offline). `/cpu` is served by a class-based namespace registered with `io.register`; each socket's
// subscription to the shared sampler is a job of its own (`spawn`), which stops when it pauses or leaves.
// `createCpuApp()` returns an http server that is not listening yet.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, hostname, loadavg } from 'node:os';
import { BaseNamespace, Server } from '@switchyard/core';
import { serveAssets } from 'switchyard-example-assets';
import { notFound, packageFiles, serveFile, servePage } from 'switchyard-example-assets/example-server';
import { createCpuMonitor } from './cpu-monitor.mjs';

const page = readFileSync(new URL('./index.html', import.meta.url));
/** uPlot's browser build and stylesheet, from node_modules. */
const vendor = packageFiles(import.meta.url, {
  '/vendor/uPlot.iife.min.js': 'uplot/dist/uPlot.iife.min.js',
  '/vendor/uPlot.min.css': 'uplot/dist/uPlot.min.css',
});

export function createCpuApp({ intervalMs = 1000 } = {}) {
  const monitor = createCpuMonitor({ intervalMs });

  /** `/cpu`: every page that connects watches until it pauses (`pause`, `resume`) or leaves. */
  class CpuNamespace extends BaseNamespace {
    recvConnect() {
      const [first] = cpus();
      this.emit('machine', { host: hostname(), cores: cpus().length, model: first?.model.trim() ?? 'unknown', intervalMs });
      this.onResume();
    }

    recvDisconnect() {
      this.broadcastEvent('viewers', monitor.listeners);
    }

    /** Starts this socket's job: the samples so far, then one every interval, until it stops. */
    onResume() {
      if (this.jobCount > 0) return true;
      this.emit('history', monitor.history());
      this.spawn((signal) => {
        const unsubscribe = monitor.subscribe((sample) => this.emit('cpu', { ...sample, load: loadavg()[0] }));
        signal.addEventListener('abort', unsubscribe, { once: true });
      });
      this.broadcastEvent('viewers', monitor.listeners);
      return true;
    }

    onPause() {
      this.killLocalJobs();
      this.broadcastEvent('viewers', monitor.listeners);
      return true;
    }
  }

  const httpServer = createServer((req, res) => {
    if (!serveAssets(req, res) && !servePage(req, res, page) && !serveFile(req, res, vendor)) notFound(res);
  });
  const io = new Server(httpServer);
  io.register('/cpu', CpuNamespace);
  return { httpServer, io, monitor };
}
