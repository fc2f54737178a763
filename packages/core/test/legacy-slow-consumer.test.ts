// A 0.9 client that stops reading is dropped with ERR_ENGINE_SLOW_CONSUMER on every persistent transport
// (websocket, htmlfile, xhr-multipart), as Engine.IO sessions are; a client that reads is not.
import type { IncomingMessage } from 'node:http';
import { get as httpGet } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LegacySession } from '../src/index.js';
import { handshake, useLegacy } from './legacy-helpers.js';
import { until } from './sio-helpers.js';

const { start } = useLegacy();

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

/** Opens a transport for `sid` whose client never reads (its TCP socket is paused). */
async function stalledTransport(port: number, transport: string, sid: string): Promise<void> {
  if (transport === 'websocket') {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/1/websocket/${sid}`);
    ws.on('error', () => {});
    cleanups.push(() => ws.terminate());
    await new Promise((resolve) => ws.once('open', resolve));
    (ws as unknown as { _socket: NetSocket })._socket.pause();
    return;
  }
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    httpGet(`http://127.0.0.1:${port}/socket.io/1/${transport}/${sid}`, { agent: false }, resolve).on('error', reject),
  );
  cleanups.push(() => res.destroy());
  res.socket.pause();
}

describe.each(['websocket', 'htmlfile', 'xhr-multipart'])('a 0.9 %s client that stops reading', (transport) => {
  it('is closed with ERR_ENGINE_SLOW_CONSUMER once more than maxWriteBuffer waits for it', async () => {
    const h = await start({ maxWriteBuffer: 256 * 1024 });
    const sid = await handshake(h.url);
    await stalledTransport(h.port, transport, sid);
    await until(() => h.io.legacyEngine!.sessions.has(sid));
    const session: LegacySession = h.io.legacyEngine!.sessions.get(sid)!;
    const closed = new Promise<[string, Error | undefined]>((resolve) => session.once('close', (reason, error) => resolve([reason, error])));
    const chunk = `3:::${'x'.repeat(64 * 1024)}`;
    let sent = 0;
    // Bounded: at most 1000 × 64 KiB before the test would fail.
    while (session.readyState === 'open' && sent < 1000) {
      session.send(chunk);
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [reason, error] = await closed;
    expect(reason).toBe('transport error');
    expect((error as { code?: string } | undefined)?.code).toBe('ERR_ENGINE_SLOW_CONSUMER');
  });
});
