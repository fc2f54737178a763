// A round-robin balancer with no sticky sessions, to see the nodes forward requests to each other:
// `PORT=3000 TARGETS=3001,3002,3003 node balancer.mjs`. Every HTTP request and every websocket goes to
// the next node in turn, skipping the nodes that are down: a node is down from the moment a connection
// to it is refused (the request then goes to the next node, so the client never sees it) until its
// /health answers again (checked every HEALTH_INTERVAL ms, default 1000).
import { createServer, get, request } from 'node:http';
import { connect } from 'node:net';

const port = Number(process.env.PORT ?? 3000);
const healthInterval = Number(process.env.HEALTH_INTERVAL ?? 1000);
/** The largest request body passed on (a polling POST; Switchyard's own limit is 1e6 bytes). */
const MAX_BODY = 2e6;
/** `up` is unknown (undefined, tried like a live node) until the first health check or connection. */
const targets = (process.env.TARGETS ?? '3001,3002').split(',').map((p) => ({ port: Number(p), up: undefined }));
let turn = 0;

function setUp(target, up) {
  if (target.up === up) return;
  target.up = up;
  console.log(`balancer: node on port ${target.port} is ${up ? 'up' : 'down, skipped'}`);
}

/** The next node in turn that is up and not `tried` yet; when none is up, the next one not tried (it may be back). */
function pick(tried) {
  const order = targets.map((_, i) => targets[(turn + i) % targets.length]).filter((t) => !tried.has(t));
  turn = (turn + 1) % targets.length;
  const target = order.find((t) => t.up !== false) ?? order[0];
  if (target !== undefined) tried.add(target);
  return target;
}

/** A refused connection never reached the node: the request can go to another one. */
const refused = (err) => err.code === 'ECONNREFUSED';

function forward(req, res, body, tried) {
  const target = pick(tried);
  if (target === undefined) return void res.writeHead(503, { 'Content-Type': 'text/plain' }).end('no node is up');
  const headers = { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress };
  const upstream = request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers, agent: false }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (err) => {
    if (refused(err) && !res.headersSent) {
      setUp(target, false);
      forward(req, res, body, tried);
    } else if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end('the node went away');
    else res.destroy();
  });
  // A client that leaves (a held poll it gave up on) ends the request on the node too.
  res.on('close', () => upstream.destroy());
  upstream.end(body);
}

const server = createServer((req, res) => {
  // The body is read first, so that a request refused by a dead node can be sent again to the next one.
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end('request body too large');
      req.destroy();
    } else chunks.push(chunk);
  });
  req.on('end', () => forward(req, res, Buffer.concat(chunks), new Set()));
  req.on('error', () => res.destroy());
});

function tunnel(req, socket, head, tried) {
  const target = pick(tried);
  if (target === undefined) return void socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
  const upstream = connect(target.port, '127.0.0.1');
  let open = false;
  upstream.on('connect', () => {
    open = true;
    let raw = `${req.method} ${req.url} HTTP/1.1\r\n`;
    for (let i = 0; i < req.rawHeaders.length; i += 2) raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
    upstream.write(`${raw}\r\n`);
    upstream.write(head);
    upstream.pipe(socket).pipe(upstream);
  });
  upstream.on('error', (err) => {
    if (!open && refused(err) && !socket.destroyed) {
      setUp(target, false);
      tunnel(req, socket, head, tried);
    } else socket.destroy();
  });
  socket.on('close', () => upstream.destroy());
}
const tunnels = new Set();
server.on('upgrade', (req, socket, head) => {
  tunnels.add(socket);
  socket.on('close', () => tunnels.delete(socket));
  socket.on('error', () => socket.destroy());
  tunnel(req, socket, head, new Set());
});

/** Asks every node's /health; a node that answers 200 is up, any other outcome is down. */
function checkHealth() {
  for (const target of targets) {
    const probe = get({ host: '127.0.0.1', port: target.port, path: '/health', agent: false, timeout: healthInterval }, (answer) => {
      answer.resume();
      setUp(target, answer.statusCode === 200);
    });
    probe.on('timeout', () => probe.destroy(new Error('timeout')));
    probe.on('error', () => setUp(target, false));
  }
}
const health = setInterval(checkHealth, healthInterval);
checkHealth();

server.listen(port, () => console.log(`balancer on http://localhost:${port}/ → ${targets.map((t) => t.port).join(', ')}`));

const stop = () => {
  clearInterval(health);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  for (const socket of tunnels) socket.destroy();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
