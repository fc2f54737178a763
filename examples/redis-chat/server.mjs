// One node of the chat: `PORT=3001 node server.mjs`. Every node started with the same REDIS_URL serves
// the same rooms; see README.md.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { RedisCluster } from '@switchyard/redis';
import { Redis } from 'ioredis';
import { serveAssets } from 'switchyard-example-assets';

const port = Number(process.env.PORT ?? 3001);
const node = process.env.NODE_NAME ?? `node:${port}`;
const page = readFileSync(new URL('./index.html', import.meta.url));

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
redis.on('error', () => {}); // ioredis retries; the cluster reports below
const cluster = new RedisCluster({ client: redis, key: 'redis-chat' });
cluster.on('error', (err) => console.warn(`[${node}] redis: ${err.message}`));

const httpServer = createServer((req, res) => {
  if (serveAssets(req, res)) return;
  if (req.url === '/' || req.url === '/index.html') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  else res.writeHead(404).end();
});
const io = new Server(httpServer, {
  adapter: cluster.adapter,
  router: cluster.router,
  connectionStateRecovery: {},
});

io.on('connection', (socket) => {
  socket.data.name = 'anonymous';
  socket.emit('hello', { node });

  socket.on('join', async ({ name, room }, ack) => {
    if (typeof name !== 'string' || typeof room !== 'string' || room.length === 0) return ack?.({ error: 'name and room' });
    for (const joined of socket.rooms) if (joined !== socket.id) socket.leave(joined);
    socket.data.name = name.slice(0, 40);
    socket.join(room);
    socket.to(room).emit('notice', `${socket.data.name} joined (on ${node})`);
    // Everyone in the room, whichever node they are connected to.
    const members = await io.in(room).fetchSockets();
    ack?.({ members: members.map((s) => s.data.name), node });
  });

  socket.on('say', (text) => {
    if (typeof text !== 'string') return;
    for (const room of socket.rooms) if (room !== socket.id) io.to(room).emit('said', { from: socket.data.name, text: text.slice(0, 500), node });
  });
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
