// The machine's CPU load, measured as gevent-socketio's live_cpu_graph did with psutil: the share of time
// each core was not idle between two readings of its counters (os.cpus(), which Linux reads from
// /proc/stat). One sampler serves every listener, and it runs only while someone listens.
import { cpus } from 'node:os';

/** Each core's counters: how much time it spent idle, and in all. */
function readCores() {
  return cpus().map(({ times }) => ({ idle: times.idle, total: times.user + times.nice + times.sys + times.idle + times.irq }));
}

const percent = (busy, total) => (total <= 0 ? 0 : Math.round((1000 * busy) / total) / 10);

/** The load between two readings: `{ time, total, cores }`, in percent, `time` in seconds. */
export function loadBetween(before, after, time) {
  let busy = 0;
  let total = 0;
  const cores = after.map((core, i) => {
    const idle = core.idle - (before?.[i]?.idle ?? 0);
    const all = core.total - (before?.[i]?.total ?? 0);
    busy += all - idle;
    total += all;
    return percent(all - idle, all);
  });
  return { time, total: percent(busy, total), cores };
}

/**
 * Samples every `intervalMs` while at least one listener is subscribed, and keeps the last `keep` samples
 * for newcomers. The timer starts with the first listener and stops with the last; the history starts
 * over then, so a chart never draws a line across the time nobody watched.
 */
export function createCpuMonitor({ intervalMs = 1000, keep = 60 } = {}) {
  const listeners = new Set();
  const history = [];
  let timer = null;
  let last = null;

  function tick() {
    const now = readCores();
    const sample = loadBetween(last, now, Date.now() / 1000);
    last = now;
    history.push(sample);
    if (history.length > keep) history.shift();
    for (const listener of listeners) listener(sample);
  }

  return {
    /** Calls `listener(sample)` every interval until the returned function is called. */
    subscribe(listener) {
      listeners.add(listener);
      if (timer === null) {
        last = readCores();
        timer = setInterval(tick, intervalMs);
      }
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0 || timer === null) return;
        clearInterval(timer);
        timer = null;
        history.length = 0;
      };
    },
    get listeners() {
      return listeners.size;
    },
    get running() {
      return timer !== null;
    },
    history: () => [...history],
  };
}
