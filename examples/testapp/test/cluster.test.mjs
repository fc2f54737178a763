// Two testapp processes started with the same REDIS_URL (`node server.mjs`) form one server: a chat
// message from a client of one reaches clients of every generation on the other. Skipped when no Redis
// answers (a failure under CI=true).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once as onceEvent } from 'node:events';
import { createServer } from 'node:net';
import { REDIS_URL, redisAnswers, requireService } from '@switchyard/testing';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V09 } from './generations/v09.mjs';
import { V2 } from './generations/v2.mjs';
import { next } from './support/client-ops.mjs';
import { nodeClients } from './support/node-clients.mjs';

const available = requireService('Redis', `${REDIS_URL} (set REDIS_URL)`, await redisAnswers(REDIS_URL));

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe.skipIf(!available)('testapp with REDIS_URL', () => {
  const processes = [];
  const ports = [];
  beforeAll(async () => {
    const key = `sy-test:testapp:${randomBytes(6).toString('hex')}`;
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = fork(new URL('../server.mjs', import.meta.url), [], {
        env: { ...process.env, PORT: String(port), REDIS_URL, REDIS_KEY: key },
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      });
      processes.push(child);
      // It prints its address once listening.
      await onceEvent(child.stdout, 'data');
      ports.push(port);
    }
  });
  afterAll(async () => {
    await Promise.all(
      processes.map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = onceEvent(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
  });

  it('a chat message from a client of one process reaches clients of every generation on the other', async () => {
    const [a, b] = ports.map((port, i) =>
      connect(`http://127.0.0.1:${port}/chat`, { forceNew: true, reconnection: false, transports: i === 0 ? ['websocket'] : ['polling'] }),
    );
    // socket.io-client 2.5.0 and 0.9.16 on the second process too, both polling.
    const older = [
      nodeClients(V2, V2.transports.find((t) => t.name === 'polling'), `http://127.0.0.1:${ports[1]}`),
      nodeClients(V09, V09.transports.find((t) => t.name === 'xhr-polling'), `http://127.0.0.1:${ports[1]}`),
    ];
    try {
      await Promise.all([next(a, 'connect'), next(b, 'connect')]);
      const [v2, v09] = await Promise.all(older.map((clients) => clients.connect('/chat')));
      expect(await a.emitWithAck('login', 'ann')).toBe(true);
      expect(await b.emitWithAck('login', 'bob')).toBe(true);
      expect(await v2.emitWithAck('login', 'cy')).toEqual([true]);
      expect(await v09.emitWithAck('login', 'di')).toEqual([true]);
      // The two processes find each other through heartbeats; send until the message comes across.
      const got = [next(b, 'message', { ms: 10_000 }), v2.next('message', 10_000), v09.next('message', 10_000)];
      const timer = setInterval(() => a.emit('message', 'across processes'), 200);
      try {
        for (const [message] of await Promise.all(got)) expect(message).toEqual({ from: 'ann', text: 'across processes' });
      } finally {
        clearInterval(timer);
      }
    } finally {
      a.disconnect();
      b.disconnect();
      await Promise.all(older.map((clients) => clients.close()));
    }
  });
});
