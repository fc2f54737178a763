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
  { id: 'v3-echo-ws-cpu', label: '2.x wire: echo+ack, websocket: server CPU/ack', unit: 'µs', ref: eio3, better: cpu, targets: times(1.3, cpu) },
  { id: 'v3-echo-ws-rate', label: '  … acks/s', unit: '/s', ref: eio3, better: rate, targets: times(1.3, rate) },
  { id: 'v3-echo-poll-cpu', label: '2.x wire: echo+ack, polling: server CPU/ack', unit: 'µs', ref: eio3, better: cpu, targets: times(1.3, cpu) },
  { id: 'v3-echo-poll-rate', label: '  … acks/s', unit: '/s', ref: eio3, better: rate, targets: times(1.3, rate) },
  { id: 'v3-bcast-rate', label: `2.x wire: broadcast to ${c.broadcast.clients}: deliveries/s`, unit: '/s', ref: eio3, better: rate, targets: times(1.3, rate) },
  { id: 'v3-bcast-cpu', label: '  … server CPU/delivery', unit: 'µs', ref: eio3, better: cpu, targets: times(1.3, cpu) },
  { id: 'v3-connects-rate', label: '2.x wire: connects/s', unit: '/s', ref: eio3, better: rate, targets: times(1.3, rate) },
  { id: 'v3-connects-cpu', label: '  … server CPU/handshake', unit: 'µs', ref: eio3, better: cpu, targets: times(1.3, cpu) },
  { id: 'v09-echo-ws-cpu', label: '0.9 wire: echo+ack, websocket: server CPU/ack', unit: 'µs', ref: v09, better: cpu, targets: times(2, cpu) },
  { id: 'v09-echo-ws-rate', label: '  … acks/s', unit: '/s', ref: v09, better: rate, targets: times(2, rate) },
  { id: 'v09-echo-poll-cpu', label: '0.9 wire: echo+ack, xhr-polling: server CPU/ack', unit: 'µs', ref: v09, better: cpu, targets: times(2, cpu) },
  { id: 'v09-echo-poll-rate', label: '  … acks/s', unit: '/s', ref: v09, better: rate, targets: times(2, rate) },
  { id: 'v09-bcast-rate', label: `0.9 wire: broadcast to ${c.broadcast.clients}: deliveries/s`, unit: '/s', ref: v09, better: rate, targets: times(2, rate) },
  { id: 'v09-bcast-cpu', label: '  … server CPU/delivery', unit: 'µs', ref: v09, better: cpu, targets: times(2, cpu) },
  { id: 'v09-connects-rate', label: '0.9 wire: connects/s', unit: '/s', ref: v09, better: rate, targets: times(2, rate) },
  { id: 'v09-connects-cpu', label: '  … server CPU/handshake', unit: 'µs', ref: v09, better: cpu, targets: times(2, cpu) },
  { id: 'mixed-rate', label: `mixed 4.x/2.x/0.9 room of ${c.broadcast.clients}: deliveries/s`, unit: '/s', better: rate },
  { id: 'mixed-cpu', label: '  … server CPU/delivery', unit: 'µs', better: cpu },
  // Ratios of the rows above, per contender.
  { id: 'growth-cpu', label: `growth: CPU/delivery at ${c.big.clients} ÷ at ${c.broadcast.clients}`, unit: '×', ref: sio, better: cpu, derive: ['big-all-cpu', 'bcast-1-cpu'], targets: [t(1.2, 'self')] },
  { id: 'growth-heap', label: `growth: heap/conn at ${c.memory.large} ÷ at ${c.memory.small}`, unit: '×', ref: sio, better: cpu, derive: ['mem-heap-large', 'mem-heap'], targets: [t(1.1, 'self')] },
  { id: 'room-cost', label: 'room of 10%: CPU/delivery ÷ broadcast to as many', unit: '×', ref: sio, better: cpu, derive: ['big-room-cpu', 'bcast-1-cpu'], targets: [t(1.1, 'self')] },
  { id: 'mixed-cost', label: 'mixed room: CPU/delivery ÷ 4.x-only broadcast', unit: '×', better: cpu, derive: ['mixed-cpu', 'bcast-1-cpu'] },
];
