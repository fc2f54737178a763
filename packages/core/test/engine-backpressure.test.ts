// A client that stops reading must not make the server buffer without bound.
import type { Socket as NetSocket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type CloseReason, EngineError, EngineErrorCode } from '../src/index.js';
import { openWebSocketSession, sessionOf, useHarness, waitFor } from './helpers.js';

const t = useHarness();

describe('a websocket client that stops reading', () => {
  it('is closed once more than maxWriteBuffer bytes wait for it; a reading client is not', async () => {
    const h = await t.start({ engine: { maxWriteBuffer: 256 * 1024 }, echo: false });
    const stalled = await openWebSocketSession(t.ws, h);
    const reading = await openWebSocketSession(t.ws, h);
    // The stalled client's ws stops taking bytes off its TCP socket; the kernel buffers fill, then the server's.
    (stalled.peer.ws as unknown as { _socket: NetSocket })._socket.pause();

    const stalledSession = sessionOf(h, stalled.open.sid);
    const readingSession = sessionOf(h, reading.open.sid);
    const closed = waitFor<[CloseReason, Error | undefined]>(stalledSession, 'close', 10_000);
    let received = 0;
    reading.peer.ws.on('message', () => received++);

    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    // Bounded: at most 1000 × 64 KiB (64 MiB) for the stalled client before the test would fail.
    while (stalledSession.readyState === 'open' && sent < 1000) {
      stalledSession.send(chunk);
      readingSession.send('tick');
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [reason, error] = await closed;
    expect(reason).toBe('transport error');
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe(EngineErrorCode.SLOW_CONSUMER);
    expect(sent).toBeLessThan(1000);
    await expect.poll(() => received).toBeGreaterThanOrEqual(sent);
    expect(readingSession.readyState).toBe('open');
  });

  it('is not dropped for one message larger than maxWriteBuffer', async () => {
    const h = await t.start({ engine: { maxWriteBuffer: 64 * 1024 }, echo: false });
    const { peer, open } = await openWebSocketSession(t.ws, h);
    const big = 'y'.repeat(512 * 1024);
    sessionOf(h, open.sid).send(big);
    const frame = await peer.text();
    expect(frame.length).toBe(big.length + 1);
    expect(sessionOf(h, open.sid).readyState).toBe('open');
  });
});
