// The table: one row per figure, in print order, with issue 15's targets. A row compares Switchyard to
// `ref` (the socket.io that speaks the same wire) and, where it ran, to the raw `ws` floor. A target is
// `{ vs: 'ref' | 'ws' | 'self', x }`: Switchyard / ref (or / ws) within x, the way `better` points;
// 'self' checks Switchyard's own (derived) figure. Derived rows are ratios of other rows' medians.
import { config } from './scenarios.mjs';

const c = config;
const sio = 'socketio';
const eio3 = 'socketio-eio3';
const v09 = 'socketio09';
const cpu = 'lower';
const rate = 'higher';
const t = (x, vs = 'ref') => ({ vs, x });
/** "every figure ≥ n× socket.io": rates n× higher, CPU per operation n× lower. */
const times = (n, better) => [t(better === rate ? n : Number((1 / n).toFixed(2)))];

/**
 * The rows of an older wire generation (2.x, 0.9), all against `ref` with issue 15's "n× socket.io":
 * per scenario, a leading row that names it and a `…` row under it, CPU per operation and a rate.
 */
function olderWire({ id, name, ref, n, polling }) {
  const scenarios = [
    { key: 'echo-ws', title: 'echo+ack, websocket', lead: 'cpu', op: 'ack', rate: 'acks/s' },
    { key: 'echo-poll', title: `echo+ack, ${polling}`, lead: 'cpu', op: 'ack', rate: 'acks/s' },
    { key: 'bcast', title: `broadcast to ${c.broadcast.clients}`, lead: 'rate', op: 'delivery', rate: 'deliveries/s' },
    { key: 'connects', lead: 'rate', op: 'handshake', rate: 'connects/s' },
  ];
  return scenarios.flatMap(({ key, title, lead, op, rate: rateName }) => {
    const cpuRow = { id: `${id}-${key}-cpu`, figure: `server CPU/${op}`, unit: 'µs', ref, better: cpu, targets: times(n, cpu) };
    const rateRow = { id: `${id}-${key}-rate`, figure: rateName, unit: '/s', ref, better: rate, targets: times(n, rate) };
    const [first, second] = lead === 'cpu' ? [cpuRow, rateRow] : [rateRow, cpuRow];
    return [first, second].map(({ figure, ...row }, i) => ({
      ...row,
      label: i === 0 ? `${name} wire: ${title === undefined ? '' : `${title}: `}${figure}` : `  … ${figure}`,
    }));
  });
}

export const rows = [
  { id: 'echo-ws-cpu', label: `echo+ack, websocket, ${c.echo.clients} clients: server CPU/ack`, unit: 'µs', ref: sio, better: cpu, targets: [t(0.75), t(1.1, 'ws')] },
  { id: 'echo-ws-rate', label: '  … acks/s', unit: '/s', ref: sio, better: rate },
  { id: 'echo-ws-p99', label: '  … latency p99', unit: 'ms', ref: sio, better: cpu },
  { id: 'echo-poll-cpu', label: `echo+ack, polling, ${c.echo.clients} clients: server CPU/ack`, unit: 'µs', ref: sio, better: cpu, targets: [t(0.7)] },
  { id: 'echo-poll-rate', label: '  … acks/s', unit: '/s', ref: sio, better: rate },
  { id: 'echo-poll-p99', label: '  … latency p99', unit: 'ms', ref: sio, better: cpu },
  { id: 'bcast-1-rate', label: `broadcast to ${c.broadcast.clients}, 1 emit/tick: deliveries/s`, unit: '/s', ref: sio, better: rate, targets: [t(1.25)] },
  { id: 'bcast-1-cpu', label: '  … server CPU/delivery', unit: 'µs', ref: sio, better: cpu },
  { id: 'bcast-10-rate', label: `broadcast to ${c.broadcast.clients}, 10 emits/tick: deliveries/s`, unit: '/s', ref: sio, better: rate, targets: [t(5)] },
  { id: 'bcast-10-cpu', label: '  … server CPU/delivery', unit: 'µs', ref: sio, better: cpu },
  { id: 'big-all-cpu', label: `broadcast to ${c.big.clients}, 1 emit/tick: server CPU/delivery`, unit: 'µs', ref: sio, better: cpu },
  { id: 'big-room-cpu', label: `room of 10% of ${c.big.clients}: server CPU/delivery`, unit: 'µs', ref: sio, better: cpu },
  { id: 'mem-heap', label: `idle websocket, ${c.memory.small} conns: heap/conn`, unit: 'B', ref: sio, better: cpu, targets: [t(0.4)] },
  { id: 'mem-rss', label: `idle websocket, ${c.memory.small} conns: rss/conn`, unit: 'B', ref: sio, better: cpu, targets: [t(0.6)] },
  { id: 'mem-heap-large', label: `idle websocket, ${c.memory.large} conns: heap/conn`, unit: 'B', ref: sio, better: cpu },
  { id: 'mem-rss-large', label: `idle websocket, ${c.memory.large} conns: rss/conn`, unit: 'B', ref: sio, better: cpu },
  { id: 'connects-rate', label: `connects/s (${c.connects.count}, ${c.connects.concurrency} in flight)`, unit: '/s', ref: sio, better: rate, targets: [t(2)] },
  { id: 'connects-cpu', label: '  … server CPU/handshake', unit: 'µs', ref: sio, better: cpu, targets: [t(0.5)] },
  ...olderWire({ id: 'v3', name: '2.x', ref: eio3, n: 1.3, polling: 'polling' }),
  ...olderWire({ id: 'v09', name: '0.9', ref: v09, n: 2, polling: 'xhr-polling' }),
  { id: 'mixed-rate', label: `mixed 4.x/2.x/0.9 room of ${c.broadcast.clients}: deliveries/s`, unit: '/s', better: rate },
  { id: 'mixed-cpu', label: '  … server CPU/delivery', unit: 'µs', better: cpu },
  // Ratios of the rows above, per contender.
  { id: 'growth-cpu', label: `growth: CPU/delivery at ${c.big.clients} ÷ at ${c.broadcast.clients}`, unit: '×', ref: sio, better: cpu, derive: ['big-all-cpu', 'bcast-1-cpu'], targets: [t(1.2, 'self')] },
  { id: 'growth-heap', label: `growth: heap/conn at ${c.memory.large} ÷ at ${c.memory.small}`, unit: '×', ref: sio, better: cpu, derive: ['mem-heap-large', 'mem-heap'], targets: [t(1.1, 'self')] },
  { id: 'room-cost', label: 'room of 10%: CPU/delivery ÷ broadcast to as many', unit: '×', ref: sio, better: cpu, derive: ['big-room-cpu', 'bcast-1-cpu'], targets: [t(1.1, 'self')] },
  { id: 'mixed-cost', label: 'mixed room: CPU/delivery ÷ 4.x-only broadcast', unit: '×', better: cpu, derive: ['mixed-cpu', 'bcast-1-cpu'] },
];
