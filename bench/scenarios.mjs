// The four scenarios. Each `run(ctx)` gets a fresh server process and a fresh load process for one
// contender (`ctx.server`, `ctx.load`, `ctx.contender`) and returns `{ values, notes }`: a number per
// table row it fills, and lines for the notes under the table.

const quick = process.env.BENCH_QUICK === '1';

export const config = quick
  ? {
      mode: 'quick (BENCH_QUICK=1)',
      echo: { clients: 10, warmupMs: 300, measureMs: 1000 },
      broadcast: { clients: 200, warmupMs: 300, ms: 1000, drainMs: 5000 },
      memory: { connections: 500, concurrency: 100, warmup: 50 },
      connects: { count: 300, concurrency: 50, warmup: 50 },
    }
  : {
      mode: 'full',
      echo: { clients: 50, warmupMs: 1000, measureMs: 5000 },
      broadcast: { clients: 1000, warmupMs: 1000, ms: 5000, drainMs: 10_000 },
      memory: { connections: 5000, concurrency: 100, warmup: 200 },
      connects: { count: 2000, concurrency: 100, warmup: 200 },
    };

const payload = { id: 42, text: 'the quick brown fox jumps over the lazy dog', ok: true };

/** Table rows in print order. `better` says which way the ratio should go; `target` is vs socket.io. */
export const rows = [
  { id: 'echo', label: `echo with ack, ${config.echo.clients} clients (acks/s)`, better: 'higher', target: 1.3 },
  { id: 'bcast-1', label: `broadcast to ${config.broadcast.clients}, 1 emit/tick (msgs/s)`, better: 'higher', target: 1.25 },
  { id: 'bcast-10', label: `broadcast to ${config.broadcast.clients}, 10 emits/tick (msgs/s)`, better: 'higher', target: 5 },
  { id: 'heap', label: `idle heap per connection, ${config.memory.connections} conns (bytes)`, better: 'lower', target: 0.4 },
  { id: 'rss', label: `idle rss per connection, ${config.memory.connections} conns (bytes)`, better: 'lower' },
  {
    id: 'connects',
    label: `connects/s, ${config.connects.count} conns, ${config.connects.concurrency} in flight`,
    better: 'higher',
    target: 2,
  },
];

const pct = (cpuMs, wallMs) => `${Math.round((100 * cpuMs) / wallMs)}%`;
/** Server CPU time per operation: comparable across contenders even when the load client sets the pace. */
const perOp = (cpuMs, ops) => `${((cpuMs * 1000) / Math.max(ops, 1)).toFixed(1)} µs`;
const int = (n) => Math.round(n).toLocaleString('en-US');
const port = (ctx) => ctx.server.ready.port;

/**
 * Flags a closed-loop run (echo, connects) whose load process used (nearly) a whole core: then the
 * client, not the server, set the pace, and the number is a floor for this server.
 */
function saturation(loadCpuMs, wallMs) {
  return loadCpuMs / wallMs > 0.9 ? ' — LOAD CLIENT SATURATED, the number is a floor for this server' : '';
}

async function runEcho(ctx) {
  const { server, load, contender } = ctx;
  const { clients, warmupMs, measureMs } = config.echo;
  const marks = {};
  load.on('mark', (mark) => {
    marks[mark.name] = server.request({ cmd: 'cpu' }, 'cpu', 5000);
  });
  const res = await load.request(
    { cmd: 'echo', port: port(ctx), client: contender.echoClient, clients, warmupMs, measureMs, payload },
    'echo-done',
    warmupMs + measureMs + 30_000,
  );
  const [a, b] = await Promise.all([marks['measure-start'], marks['measure-end']]);
  const serverCpuMs = b.userMs + b.systemMs - a.userMs - a.systemMs;
  const notes = [
    `${int(res.acks)} acks in ${(res.ms / 1000).toFixed(2)} s; CPU server ${pct(serverCpuMs, res.ms)} ` +
      `(${perOp(serverCpuMs, res.acks)}/ack), load ${pct(res.cpuMs, res.ms)}` +
      saturation(res.cpuMs, res.ms),
  ];
  if (res.stalled > 0) notes.push(`${res.stalled} of ${clients} clients never got their last ack back`);
  return { values: { echo: (res.acks * 1000) / res.ms }, notes };
}

async function openAll(ctx, count, concurrency) {
  const opened = await ctx.load.request({ cmd: 'open', port: port(ctx), count, concurrency }, 'opened', 120_000);
  if (opened.failed > 0) throw new Error(`${opened.failed} of ${count} connections failed, first: ${opened.firstError}`);
  return opened;
}

function broadcast(burst) {
  return async (ctx) => {
    const { server, load } = ctx;
    const { clients, warmupMs, ms, drainMs } = config.broadcast;
    await openAll(ctx, clients, 100);
    const measure = async (durationMs) => {
      await load.request({ cmd: 'count-start' }, 'counting', 5000);
      const sent = await server.request({ cmd: 'broadcast', ms: durationMs, burst }, 'broadcast-done', durationMs + 60_000);
      const got = await load.request({ cmd: 'count-stop', expected: sent.emits * clients, drainMs }, 'count-done', drainMs + 10_000);
      return { sent, got };
    };
    await measure(warmupMs);
    const { sent, got } = await measure(ms);
    const expected = sent.emits * sent.connected;
    // The clients are an open loop here: had they been slower than the server, the kernel buffers would
    // hold a backlog that arrives after the server stopped.
    const behind = got.received < expected || got.drainMs > 100;
    const notes = [
      `server: ${int(sent.emits)} emits in ${sent.ticks} ticks to ${sent.connected} clients (${int((expected * 1000) / sent.ms)} msgs/s offered, ` +
        `CPU ${pct(sent.cpuMs, sent.ms)}, ${perOp(sent.cpuMs, expected)}/msg); clients got ${int(got.received)} of ${int(expected)}, ` +
        `last ${int(got.drainMs)} ms after the server stopped; load CPU ${pct(got.cpuMs, got.wallMs)}` +
        (behind ? ' — LOAD CLIENT FELL BEHIND, the number is a floor for this server' : ', kept up'),
    ];
    if (sent.connected !== clients) notes.push(`only ${sent.connected} of ${clients} clients were connected at the end`);
    return { values: { [`bcast-${burst}`]: (got.received * 1000) / Math.max(got.activeMs, 1) }, notes };
  };
}

async function runMemory(ctx) {
  const { server, load } = ctx;
  const { connections, concurrency, warmup } = config.memory;
  // One round of connect and disconnect first, so lazily loaded code and first-use caches are in the baseline.
  await openAll(ctx, warmup, concurrency);
  await load.request({ cmd: 'close-all' }, 'closed', 30_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = await server.request({ cmd: 'mem' }, 'mem', 30_000);
  const opened = await openAll(ctx, connections, concurrency);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await server.request({ cmd: 'mem' }, 'mem', 30_000);
  const notes = [
    `heapUsed ${int(before.heapUsed)} → ${int(after.heapUsed)}, rss ${int(before.rss)} → ${int(after.rss)}; ` +
      `${after.connected} sockets connected on the server (opened in ${int(opened.ms)} ms)`,
  ];
  if (before.connected !== 0) notes.push(`${before.connected} warm-up sockets were still connected at the baseline`);
  if (after.connected !== connections) notes.push(`server counts ${after.connected} sockets, expected ${connections}`);
  return {
    values: { heap: (after.heapUsed - before.heapUsed) / connections, rss: (after.rss - before.rss) / connections },
    notes,
  };
}

async function runConnects(ctx) {
  const { count, concurrency, warmup } = config.connects;
  const cpu = () => ctx.server.request({ cmd: 'cpu' }, 'cpu', 5000);
  const a = await cpu();
  const res = await ctx.load.request({ cmd: 'connects', port: port(ctx), count, concurrency, warmup }, 'connects-done', 180_000);
  const b = await cpu();
  // The server's CPU covers the warm-up round too; scale it by the share of connections measured.
  const serverCpuMs = ((b.userMs + b.systemMs - a.userMs - a.systemMs) * count) / (count + warmup);
  const notes = [
    `${res.ok} handshakes in ${int(res.ms)} ms; CPU server ~${pct(serverCpuMs, res.ms)} (${perOp(serverCpuMs, res.ok)}/connection), ` +
      `load ${pct(res.cpuMs, res.ms)}` +
      saturation(res.cpuMs, res.ms),
  ];
  if (res.failed > 0) notes.push(`${res.failed} connections failed, first: ${res.firstError}`);
  return { values: { connects: (res.ok * 1000) / res.ms }, notes };
}

export const scenarios = [
  { name: 'echo with ack', rows: ['echo'], run: runEcho },
  { name: 'broadcast, 1 emit/tick', rows: ['bcast-1'], run: broadcast(1) },
  { name: 'broadcast, 10 emits/tick', rows: ['bcast-10'], run: broadcast(10) },
  { name: 'idle memory', rows: ['heap', 'rss'], run: runMemory },
  { name: 'connects/s', rows: ['connects'], run: runConnects },
];
