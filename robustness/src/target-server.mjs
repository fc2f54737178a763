// The server under test, in a process of its own (forked with --expose-gc by fuzz-wire.mjs and soak.mjs):
// a Switchyard Server on 127.0.0.1 with a few namespaces, rooms, acks and a class namespace, serving
// every client generation. Options come as JSON in TARGET_OPTIONS; it sends { type: 'ready', port } once
// listening and answers over IPC:
//   { cmd: 'stats' }           → { type: 'stats', heapUsed, rss, sessions, legacySessions, opened, closes, eventLoop }
//                                 (heap after gc; closes counts sessions the server closed by generation,
//                                 reason and error code; eventLoop is the delay p50/p99/max in ms)
//   { cmd: 'broadcast', ms, room } → every `ms` emits `tick` with a sequence number to `room` of `/`
//   { cmd: 'stop-broadcast' }  → { type: 'stopped', sent }
// The process exits when the parent closes the IPC channel.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextTick } from 'node:timers/promises';
import { BaseNamespace, Server } from '@switchyard/core';

class EchoNamespace extends BaseNamespace {
  onEcho(...args) {
    return args[0] ?? null;
  }

  onJoin(room) {
    if (typeof room === 'string') this.join(room);
    return true;
  }
}

const options = JSON.parse(process.env.TARGET_OPTIONS ?? '{}');
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, ...options });

const echo = (socket) => {
  socket.on('echo', (...args) => {
    const ack = args.at(-1);
    if (typeof ack === 'function') ack(...args.slice(0, -1));
  });
  socket.on('join', (room, ack) => {
    if (typeof room === 'string' && room.length < 64) socket.join(room);
    if (typeof ack === 'function') ack(true);
  });
  socket.on('say', (room, text) => {
    if (typeof room === 'string') socket.to(room).emit('said', text);
  });
};
io.on('connection', (socket) => {
  socket.join('all');
  echo(socket);
});
io.of('/chat').use((socket, next) => next()).on('connection', echo);
io.register('/cls', EchoNamespace);

let opened = 0;
const closes = {};
const track = (generation) => (session) => {
  opened++;
  session.once('close', (reason, error) => {
    const key = `${generation} ${reason}${error?.code === undefined ? '' : ` ${error.code}`}`;
    closes[key] = (closes[key] ?? 0) + 1;
  });
};
io.engine.on('connection', (session) => track(session.protocol === 3 ? 'eio3' : 'eio4')(session));
io.legacyEngine?.on('connection', track('0.9'));

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

async function collect() {
  for (let i = 0; i < 4; i++) {
    global.gc?.();
    await nextTick();
  }
}

let ticker;
let sent = 0;
process.on('message', async (msg) => {
  if (msg.cmd === 'stats') {
    await collect();
    const { heapUsed, rss } = process.memoryUsage();
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    const eventLoop = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) };
    if (msg.resetDelay) delay.reset();
    process.send({
      type: 'stats',
      heapUsed,
      rss,
      sessions: io.engine.sessionCount,
      legacySessions: io.legacyEngine?.sessions.size ?? 0,
      sockets: io.of('/').sockets.size,
      opened,
      closes,
      eventLoop,
    });
  } else if (msg.cmd === 'broadcast') {
    clearInterval(ticker);
    sent = 0;
    ticker = setInterval(() => io.to(msg.room).emit('tick', sent++), msg.ms);
  } else if (msg.cmd === 'stop-broadcast') {
    clearInterval(ticker);
    process.send({ type: 'stopped', sent });
  }
});
process.on('disconnect', () => {
  clearInterval(ticker);
  io.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
});

// Thousands of polling clients open connections in bursts: a listen queue longer than Node's 511, and idle
// keep-alive sockets kept longer than a heartbeat period (Node's 5 s default closes the socket a polling
// client posts its pong on every 5 s, and reconnecting costs a SYN that a full queue drops for seconds).
httpServer.keepAliveTimeout = 120_000;
httpServer.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
await once(httpServer, 'listening');
process.send({ type: 'ready', port: httpServer.address().port });
