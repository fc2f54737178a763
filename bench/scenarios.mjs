// The scenarios. Each `run(ctx)` gets a fresh server process and a fresh load process for one
// contender (`ctx.server`, `ctx.load`, `ctx.contender`) and returns `{ values, notes }`: a number per
// table row it fills (see rows.mjs), and lines for the notes under the table. Closed loops (echo,
// connects) report the server's CPU time per operation, read with process.cpuUsage() in the server
// process at the load client's start and end marks.

const quick = process.env.BENCH_QUICK === '1';

export const config = quick
  ? {
      mode: 'quick (BENCH_QUICK=1)',
      reps: Number(process.env.BENCH_REPS ?? 1),
      echo: { clients: 10, warmupMs: 300, measureMs: 1000 },
      broadcast: { clients: 200, warmupMs: 300, ms: 1000, drainMs: 5000 },
      big: { clients: 1000, ms: 1000, drainMs: 5000 },
      memory: { small: 500, large: 2000, concurrency: 100 },
      connects: { count: 300, concurrency: 50, warmup: 50 },
    }
  : {
      mode: 'full',
      reps: Number(process.env.BENCH_REPS ?? 3),
      echo: { clients: 50, warmupMs: 1000, measureMs: 5000 },
      broadcast: { clients: 1000, warmupMs: 1000, ms: 5000, drainMs: 10_000 },
      big: { clients: 10_000, ms: 3000, drainMs: 20_000 },
      // 20,000 connections need more than 20,000 descriptors in the server process; this machine's hard
      // `ulimit -n` is 20,000, so the large point is set just under it.
      memory: { small: 5000, large: Number(process.env.BENCH_MEMORY_LARGE ?? 19_000), concurrency: 100 },
      connects: { count: 2000, concurrency: 100, warmup: 200 },
    };

const payload = { id: 42, text: 'the quick brown fox jumps over the lazy dog', ok: true };

const pct = (cpuMs, wallMs) => `${Math.round((100 * cpuMs) / wallMs)}%`;
const int = (n) => Math.round(n).toLocaleString('en-US');
const port = (ctx) => ctx.server.ready.port;
const cpuOf = (mark) => mark.userMs + mark.systemMs;

/** A closed loop whose load process used (nearly) a whole core: the client set the pace. */
function saturation(loadCpuMs, wallMs) {
  return loadCpuMs / wallMs > 0.9 ? ' — LOAD CLIENT SATURATED (a floor for this server; CPU per op still holds)' : '';
}

/** Server CPU between the load client's 'measure-start' and 'measure-end' marks. */
function serverWindow({ server, load }) {
  const marks = {};
  load.on('mark', (mark) => {
    marks[mark.name] = server.request({ cmd: 'cpu' }, 'cpu', 5000);
  });
  return async () => {
    const [a, b] = await Promise.all([marks['measure-start'], marks['measure-end']]);
    return cpuOf(b) - cpuOf(a);
  };
}

function echo(id, gen, transport) {
  return async (ctx) => {
    const { clients, warmupMs, measureMs } = config.echo;
    const cpu = serverWindow(ctx);
    const res = await ctx.load.request(
      { cmd: 'echo', port: port(ctx), gen, transport, clients, warmupMs, measureMs, payload },
      'echo-done',
      warmupMs + measureMs + 30_000,
    );
    const serverCpuMs = await cpu();
    const notes = [
      `${int(res.acks)} acks in ${(res.ms / 1000).toFixed(2)} s, p50 ${res.p50.toFixed(2)} ms; CPU server ${pct(serverCpuMs, res.ms)}, ` +
        `load ${pct(res.cpuMs, res.ms)}${saturation(res.cpuMs, res.ms)}`,
    ];
    if (res.stalled > 0) notes.push(`${res.stalled} of ${clients} clients never got their last ack back`);
    return {
      values: { [`${id}-cpu`]: (serverCpuMs * 1000) / Math.max(res.acks, 1), [`${id}-rate`]: (res.acks * 1000) / res.ms, [`${id}-p99`]: res.p99 },
      notes,
    };
  };
}

async function openAll(ctx, count, { gens, join } = {}) {
  const opened = await ctx.load.request({ cmd: 'open', port: port(ctx), gens, count, concurrency: 100, join }, 'opened', 300_000);
  if (opened.failed > 0) throw new Error(`${opened.failed} of ${count} connections failed, first: ${opened.firstError}`);
  if (join) {
    // The joins are events the server handles in its own time: wait until the room holds them all.
    const until = Date.now() + 30_000;
    for (;;) {
      const { members } = await ctx.server.request({ cmd: 'members', room: join.room }, 'members', 5000);
      if (members >= opened.joined) break;
      if (Date.now() > until) throw new Error(`only ${members} of ${opened.joined} clients joined ${join.room}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return opened;
}

/** One measured broadcast window: `{ rate, cpuPerDelivery, note }`. */
async function measureBroadcast(ctx, { ms, burst, drainMs, room, receivers }) {
  const { server, load } = ctx;
  await load.request({ cmd: 'count-start' }, 'counting', 5000);
  const sent = await server.request({ cmd: 'broadcast', ms, burst, room }, 'broadcast-done', ms + 60_000);
  const expected = sent.emits * (room === undefined ? sent.connected : sent.members);
  const got = await load.request({ cmd: 'count-stop', expected, drainMs }, 'count-done', drainMs + 10_000);
  // The clients are an open loop: had they been slower than the server, the kernel buffers would hold
  // a backlog that arrives after the server stopped.
  const behind = got.received < expected || got.drainMs > 100;
  const note =
    `${int(sent.emits)} emits in ${sent.ticks} ticks to ${room === undefined ? sent.connected : `${sent.members} members of ${sent.connected}`} ` +
    `(server CPU ${pct(sent.cpuMs, sent.ms)}); clients got ${int(got.received)} of ${int(expected)}, last ${int(got.drainMs)} ms after ` +
    `the server stopped; load CPU ${pct(got.cpuMs, got.wallMs)}` +
    (behind ? ' — LOAD CLIENT FELL BEHIND, a floor for this server' : ', kept up');
  if (receivers !== undefined && expected !== sent.emits * receivers) throw new Error(`expected ${receivers} receivers: ${note}`);
  return { rate: (got.received * 1000) / Math.max(got.activeMs, 1), cpuPerDelivery: (sent.cpuMs * 1000) / Math.max(expected, 1), note };
}

function broadcast(id, burst, { gens = ['v4'], room } = {}) {
  return async (ctx) => {
    const { clients, warmupMs, ms, drainMs } = config.broadcast;
    await openAll(ctx, clients, { gens, join: room === undefined ? undefined : { room, every: 1 } });
    await measureBroadcast(ctx, { ms: warmupMs, burst, drainMs, room });
    const out = await measureBroadcast(ctx, { ms, burst, drainMs, room });
    return { values: { [`${id}-rate`]: out.rate, [`${id}-cpu`]: out.cpuPerDelivery }, notes: [out.note] };
  };
}

/** 10,000 clients: a broadcast to all (cost growth), then to a room holding every tenth of them. */
async function big(ctx) {
  const { clients, ms, drainMs } = config.big;
  const room = 'tenth';
  await openAll(ctx, clients, { join: { room, every: 10 } });
  await measureBroadcast(ctx, { ms: 500, burst: 1, drainMs });
  const all = await measureBroadcast(ctx, { ms, burst: 1, drainMs });
  await measureBroadcast(ctx, { ms: 500, burst: 1, drainMs, room });
  const tenth = await measureBroadcast(ctx, { ms, burst: 1, drainMs, room, receivers: clients / 10 });
  return {
    values: { 'big-all-cpu': all.cpuPerDelivery, 'big-room-cpu': tenth.cpuPerDelivery },
    notes: [`to all: ${all.note}`, `to the room: ${tenth.note}`],
  };
}

async function memory(ctx) {
  const { small, large } = config.memory;
  const base = await ctx.server.request({ cmd: 'mem' }, 'mem', 30_000);
  const at = async (count) => {
    await openAll(ctx, count - (await ctx.server.request({ cmd: 'mem' }, 'mem', 30_000)).connected);
    const mem = await ctx.server.request({ cmd: 'mem' }, 'mem', 60_000);
    if (mem.connected !== count) throw new Error(`the server holds ${mem.connected} of ${count} connections`);
    return { heap: (mem.heapUsed - base.heapUsed) / count, rss: (mem.rss - base.rss) / count };
  };
  const a = await at(small);
  const b = await at(large);
  return {
    values: { 'mem-heap': a.heap, 'mem-rss': a.rss, 'mem-heap-large': b.heap, 'mem-rss-large': b.rss },
    notes: [`heap ${int(a.heap)} B/conn at ${int(small)}, ${int(b.heap)} at ${int(large)}; rss ${int(a.rss)} / ${int(b.rss)}`],
  };
}

function connects(id, gen) {
  return async (ctx) => {
    const { count, concurrency, warmup } = config.connects;
    const cpu = serverWindow(ctx);
    const res = await ctx.load.request({ cmd: 'connects', port: port(ctx), gen, count, concurrency, warmup }, 'connects-done', 120_000);
    if (res.failed > 0) throw new Error(`${res.failed} of ${count} connects failed, first: ${res.firstError}`);
    const serverCpuMs = await cpu();
    return {
      values: { [`${id}-rate`]: (res.ok * 1000) / res.ms, [`${id}-cpu`]: (serverCpuMs * 1000) / res.ok },
      notes: [`${res.ok} connects in ${(res.ms / 1000).toFixed(2)} s; CPU server ${pct(serverCpuMs, res.ms)}, load ${pct(res.cpuMs, res.ms)}${saturation(res.cpuMs, res.ms)}`],
    };
  };
}

// With BENCH_BASELINE, another checkout's build runs right after Switchyard wherever Switchyard runs.
const sw = process.env.BENCH_BASELINE ? ['switchyard', 'switchyard-baseline'] : ['switchyard'];
const main = [...sw, 'socketio', 'ws'];
const v3 = [...sw, 'socketio-eio3'];
const v09 = [...sw, 'socketio09'];
const c = config;

/** Scenarios in run order; `contenders` are ids of run.mjs's contenders. */
export const scenarios = [
  { name: `echo with ack, websocket, ${c.echo.clients} clients`, contenders: main, run: echo('echo-ws', 'v4', 'websocket') },
  { name: `echo with ack, polling, ${c.echo.clients} clients`, contenders: [...sw, 'socketio'], run: echo('echo-poll', 'v4', 'polling') },
  { name: `broadcast to ${c.broadcast.clients}, 1 emit/tick`, contenders: main, run: broadcast('bcast-1', 1) },
  { name: `broadcast to ${c.broadcast.clients}, 10 emits/tick`, contenders: main, run: broadcast('bcast-10', 10) },
  { name: `${c.big.clients} clients: broadcast to all, and to a 10% room`, contenders: main, run: big },
  { name: `idle memory, ${c.memory.small} then ${c.memory.large} connections`, contenders: main, run: memory },
  { name: `connects, ${c.connects.count}, ${c.connects.concurrency} in flight`, contenders: main, run: connects('connects', 'v4') },
  { name: `2.x wire: echo with ack, websocket`, contenders: v3, run: echo('v3-echo-ws', 'v3', 'websocket') },
  { name: `2.x wire: echo with ack, polling`, contenders: v3, run: echo('v3-echo-poll', 'v3', 'polling') },
  { name: `2.x wire: broadcast to ${c.broadcast.clients}, 1 emit/tick`, contenders: v3, run: broadcast('v3-bcast', 1, { gens: ['v3'] }) },
  { name: `2.x wire: connects`, contenders: v3, run: connects('v3-connects', 'v3') },
  { name: `0.9 wire: echo with ack, websocket`, contenders: v09, run: echo('v09-echo-ws', '0.9', 'websocket') },
  { name: `0.9 wire: echo with ack, xhr-polling`, contenders: v09, run: echo('v09-echo-poll', '0.9', 'polling') },
  { name: `0.9 wire: broadcast to ${c.broadcast.clients}, 1 emit/tick`, contenders: v09, run: broadcast('v09-bcast', 1, { gens: ['0.9'] }) },
  { name: `0.9 wire: connects`, contenders: v09, run: connects('v09-connects', '0.9') },
  {
    name: `mixed generations (4.x, 2.x, 0.9) in one room of ${c.broadcast.clients}`,
    contenders: sw,
    run: broadcast('mixed', 1, { gens: ['v4', 'v3', '0.9'], room: 'mixed' }),
  },
];
