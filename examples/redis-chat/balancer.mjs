// A round-robin balancer with no sticky sessions, to see the nodes forward requests to each other:
// `PORT=3000 TARGETS=3001,3002,3003 node balancer.mjs`. Every HTTP request and every websocket goes to
// the next node in turn.
import { createServer, request } from 'node:http';
import { connect } from 'node:net';

const port = Number(process.env.PORT ?? 3000);
const targets = (process.env.TARGETS ?? '3001,3002').split(',').map(Number);
let turn = 0;
const next = () => targets[turn++ % targets.length];

const server = createServer((req, res) => {
  const upstream = request({ host: '127.0.0.1', port: next(), method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
});
server.on('upgrade', (req, socket, head) => {
  const upstream = connect(next(), '127.0.0.1', () => {
    let raw = `${req.method} ${req.url} HTTP/1.1\r\n`;
    for (let i = 0; i < req.rawHeaders.length; i += 2) raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
    upstream.write(`${raw}\r\n`);
    upstream.write(head);
    upstream.pipe(socket).pipe(upstream);
  });
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
});
server.listen(port, () => console.log(`balancer on http://localhost:${port}/ → ${targets.join(', ')}`));
