// The floor: a raw `ws` server doing the least work that matches the others. It greets each
// connection with one frame (as Engine.IO sends its open packet), answers every frame (as the
// Socket.IO handshake and the echo-with-ack answer) after the same JSON work Socket.IO does — parse
// the frame's JSON, serialize the answer — and keeps a room as a Set, so the same load client drives it.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { serve } from './harness.mjs';

const httpServer = createServer();
const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false });
const greeting = '0{}';
const rooms = new Map();

wss.on('connection', (ws) => {
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    for (const members of rooms.values()) members.delete(ws);
  });
  ws.on('message', (data) => {
    const text = data.toString();
    if (text === '40') return void ws.send('40');
    // `42<id>[name, ...args]`: parse the arguments, answer `43<id>[...args]` with them.
    const at = text.indexOf('[');
    const args = JSON.parse(text.slice(at));
    if (args[0] === 'join') {
      if (!rooms.has(args[1])) rooms.set(args[1], new Set());
      rooms.get(args[1]).add(ws);
      return;
    }
    ws.send(`43${text.slice(2, at)}${JSON.stringify(args.slice(1))}`);
  });
  ws.send(greeting);
});

await serve(httpServer, {
  broadcast: (seq, room) => {
    const frame = `42["tick",${seq}]`;
    for (const client of room === undefined ? wss.clients : (rooms.get(room) ?? [])) client.send(frame);
  },
  connected: () => wss.clients.size,
  members: (room) => (room === undefined ? undefined : (rooms.get(room)?.size ?? 0)),
  close: () =>
    new Promise((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close(() => httpServer.close(() => resolve()));
    }),
});
