// The floor: a raw `ws` server doing the least work that matches the other two. It greets each
// connection with one frame (as Engine.IO sends its open packet) and echoes every frame back (as the
// Socket.IO handshake and the echo-with-ack answer), so the same load client drives all three.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { serve } from './harness.mjs';

const httpServer = createServer();
const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false });
const greeting = '0{}';

wss.on('connection', (ws) => {
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.send(greeting);
});

await serve(httpServer, {
  broadcast: (seq) => {
    const frame = `42["tick",${seq}]`;
    for (const client of wss.clients) client.send(frame);
  },
  connected: () => wss.clients.size,
  close: () =>
    new Promise((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close(() => httpServer.close(() => resolve()));
    }),
});
