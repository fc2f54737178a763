// The test application: every feature of Switchyard wired to a small, predictable set of handlers.
// `createTestApp()` returns an http server and a Switchyard Server that is not listening yet.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { BaseNamespace, Server } from '@switchyard/core';
import { instrument, metricsHandler } from '@switchyard/metrics';
import { serveAssets } from 'switchyard-example-assets';

const pageTemplate = readFileSync(new URL('./index.html', import.meta.url), 'utf8');
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The chat page, titled "Switchyard chat · <framework>". In the framework examples it signs in through the
 * framework's session (`/me`, `/login`); elsewhere the user picks a name.
 */
export function chatPage(framework) {
  return pageTemplate.replaceAll('{{framework}}', escapeHtml(framework));
}
const page = chatPage('node:http');

/** Jobs running across the whole server, so a test can see a disconnected socket's job stop. */
let runningJobs = 0;

/** `/chat`: only `login` until a name is given; everyone hears who joins and leaves, and the list of names. */
class ChatNamespace extends BaseNamespace {
  getInitialAcl() {
    return ['onLogin'];
  }

  onLogin(name) {
    if (typeof name !== 'string' || name.trim().length === 0) return false;
    const first = this.socket.data.name === undefined;
    this.session.name = this.socket.data.name = name.trim().slice(0, 40);
    this.liftAclRestrictions();
    if (first) this.broadcastEventNotMe('joined', this.socket.data.name);
    this.#announceUsers();
    return true;
  }

  recvDisconnect() {
    if (this.socket.data.name === undefined) return;
    this.socket.nsp.emit('left', this.socket.data.name);
    this.#announceUsers();
  }

  onSecret() {
    return 'ok';
  }

  onMessage(text) {
    this.broadcastEvent('message', { from: this.session.name, text: String(text) });
  }

  /** Sends everyone the names signed in to `/chat`, on every node of a cluster, each once. */
  #announceUsers() {
    this.socket.nsp.fetchSockets().then(
      (sockets) => {
        const names = sockets.filter((s) => s.id !== this.socket.id || this.socket.connected).map((s) => s.data.name);
        this.socket.nsp.emit('users', [...new Set(names.filter((name) => name !== undefined))].sort());
      },
      () => {}, // a cluster node that does not answer: the next join or leave sends the list again
    );
  }
}

/** `/jobs`: a ticking job per socket that must die with it. */
class JobsNamespace extends BaseNamespace {
  recvConnect() {
    this.spawn((signal) => {
      runningJobs++;
      let n = 0;
      const timer = setInterval(() => this.emit('tick', ++n), 50);
      signal.addEventListener('abort', () => {
        clearInterval(timer);
        runningJobs--;
      });
    });
  }

  onCount() {
    return runningJobs;
  }
}

/**
 * `options` are the Server's; `cluster` (a RedisCluster) adds its figures to the Prometheus metrics served
 * at /metrics (`metrics.close()` stops counting).
 */
export function createTestApp(options = {}, { cluster } = {}) {
  const httpServer = createServer((req, res) => {
    if (serveAssets(req, res)) return;
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
    } else if (req.url === '/metrics') {
      serveMetrics(req, res);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
    }
  });
  const io = new Server(httpServer, { cors: { origin: true, credentials: true }, ...options });
  wireTestApp(io);
  const metrics = instrument(io, { cluster });
  const serveMetrics = metricsHandler(metrics.registry);
  return { httpServer, io, metrics };
}

/** Wires the test application's handlers and namespaces onto `io` (the framework examples mount it themselves). */
export function wireTestApp(io) {
  io.on('connection', (socket) => {
    socket.on('echo', (...args) => {
      const ack = args.pop();
      if (typeof ack === 'function') ack(...args);
    });
    socket.on('echo-event', (...args) => socket.emit('echo-event', ...args));
    socket.on('join', (room, ack) => {
      socket.join(String(room));
      ack?.(true);
    });
    socket.on('leave', (room, ack) => {
      socket.leave(String(room));
      ack?.(true);
    });
    socket.on('say', (room, msg) => socket.to(String(room)).emit('said', msg));
    socket.on('shout', (msg) => io.emit('shouted', msg));
    socket.on('shout-not-me', (msg) => socket.broadcast.emit('shouted', msg));
    socket.on('ask', async (question, ack) => {
      try {
        const answer = await socket.timeout(5000).emitWithAck('question', question);
        ack?.(answer);
      } catch (err) {
        ack?.({ error: err.message });
      }
    });
    socket.on('binary', (buf, ack) => ack?.(buf));
  });

  io.register('/chat', ChatNamespace);
  io.register('/jobs', JobsNamespace);

  io.of('/admin').use((socket, next) => {
    if (socket.handshake.auth?.token === 'secret') next();
    else next(new Error('unauthorized'));
  });
  io.of('/admin').on('connection', (socket) => {
    socket.on('whoami', (ack) => ack?.(socket.id));
  });
  return io;
}
