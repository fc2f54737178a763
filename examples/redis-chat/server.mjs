// One node of the chat: `PORT=3001 node server.mjs`. Every node started with the same REDIS_URL (and
// REDIS_KEY) serves the same rooms; the rooms and their history live in Redis (chat-store.mjs), so they
// survive a restart of every node. See README.md.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { RedisCluster } from '@switchyard/redis';
import { Redis } from 'ioredis';
import { serveAssets } from 'switchyard-example-assets';
import { chatStore } from './chat-store.mjs';

const port = Number(process.env.PORT ?? 3001);
const node = process.env.NODE_NAME ?? `node:${port}`;
const key = process.env.REDIS_KEY ?? 'redis-chat';
const page = readFileSync(new URL('./index.html', import.meta.url));

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
redis.on('error', () => {}); // ioredis retries; the cluster reports below
// A node that dies without a word is forgotten after 6 s, and a request to every node waits 2 s at most.
const cluster = new RedisCluster({ client: redis, key, heartbeatInterval: 2000, heartbeatTimeout: 6000, requestTimeout: 2000 });
cluster.on('error', (err) => console.warn(`[${node}] redis: ${err.message}`));
const store = chatStore(redis, { key });

const httpServer = createServer((req, res) => {
  if (serveAssets(req, res)) return;
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/' || path === '/index.html') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  else if (path === '/health') res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'); // for the balancer
  else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
});
const io = new Server(httpServer, {
  adapter: cluster.adapter,
  router: cluster.router,
  connectionStateRecovery: {},
  // A websocket that another node tunnels to this one stays open when this node dies: without pings
  // its client would notice only 45 s later (the defaults). These make it 10 s at most.
  pingInterval: 5000,
  pingTimeout: 5000,
});

/** Everyone in the room, whichever node they are connected to (this node's own if another does not answer). */
async function membersOf(room) {
  const sockets = await io.in(room).fetchSockets().catch(() => io.local.in(room).fetchSockets());
  return sockets.map((s) => s.data.name);
}

io.on('connection', (socket) => {
  socket.data.name ??= 'anonymous'; // a recovered socket keeps the name it had

  socket.on('join', async (request, answer) => {
    const ack = typeof answer === 'function' ? answer : () => {};
    const { name, room: asked } = typeof request === 'object' && request !== null ? request : {};
    if (typeof name !== 'string' || typeof asked !== 'string' || !name.trim() || !asked.trim()) return ack({ error: 'a name and a room' });
    const room = asked.trim().slice(0, 40);
    for (const joined of socket.rooms) if (joined !== socket.id) socket.leave(joined);
    socket.data.name = name.trim().slice(0, 40);
    socket.data.room = room;
    socket.join(room);
    try {
      const [created, history] = await Promise.all([store.touch(room), store.history(room)]);
      if (created) io.emit('rooms', await store.rooms());
      socket.to(room).emit('notice', `${socket.data.name} joined (on ${node})`);
      ack({ members: await membersOf(room), history, node });
    } catch (err) {
      console.warn(`[${node}] join: ${err.message}`);
      ack({ error: 'the chat history is unavailable (is Redis up?)' });
    }
  });

  socket.on('say', async (text) => {
    const { room, name } = socket.data;
    if (typeof text !== 'string' || !text.trim() || room === undefined) return;
    const message = { id: randomUUID(), from: name, text: text.slice(0, 500), node, at: Date.now() };
    // Kept before it is sent: whatever a client has seen is in the history.
    await store.append(room, message).catch((err) => console.warn(`[${node}] history: ${err.message}`));
    io.to(room).emit('said', message);
  });

  store
    .rooms()
    .catch(() => [])
    .then((rooms) => socket.emit('hello', { node, rooms }));
});

await cluster.ready(); // the other nodes can forward requests here from now on
httpServer.listen(port, () => console.log(`[${node}] chat on http://localhost:${port}/`));

const stop = async () => {
  await io.close();
  await cluster.close();
  await redis.quit(); // after the sessions persisted on close
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
