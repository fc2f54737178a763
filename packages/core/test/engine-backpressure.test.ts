// A client that stops reading must not make the server buffer without bound.
import type { Socket as NetSocket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type CloseReason, EngineError, EngineErrorCode } from '../src/index.js';
import { getHeld, handshake, openWebSocketSession, poll, SEP, SESSION_GONE, sessionOf, useHarness, waitFor } from './helpers.js';

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

describe('a polling client that stops polling', () => {
  it('is closed once more than maxWriteBuffer bytes wait for its next GET; a polling client is not', async () => {
    const h = await t.start({ engine: { maxWriteBuffer: 256 * 1024 }, echo: false });
    const away = await handshake(h);
    const polling = await handshake(h);
    const awaySession = sessionOf(h, away);
    const pollingSession = sessionOf(h, polling);
    const closed = waitFor<[CloseReason, Error | undefined]>(awaySession, 'close', 10_000);

    // The polling client keeps a GET waiting and reads everything; the other never polls again.
    let received = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const answer = await poll(h, polling);
        expect(answer.status).toBe(200);
        received += answer.body.split(SEP).filter((packet) => packet.startsWith('4')).length;
      }
    })();
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    while (awaySession.readyState === 'open' && sent < 100) {
      await getHeld(h, polling);
      awaySession.send(chunk);
      pollingSession.send(chunk);
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [reason, error] = await closed;
    expect(reason).toBe('transport error');
    expect((error as EngineError).code).toBe(EngineErrorCode.SLOW_CONSUMER);
    // 256 KiB of 64 KiB messages: dropped at the fifth, long before its ping timeout.
    expect(sent).toBe(5);
    expect(JSON.parse((await poll(h, away)).body)).toEqual(SESSION_GONE);

    await expect.poll(() => received).toBe(sent);
    stop = true;
    pollingSession.send('last'); // ends the reader's held GET
    await reader;
    expect(pollingSession.readyState).toBe('open');
  });

  it('is not dropped for one message larger than maxWriteBuffer', async () => {
    const h = await t.start({ engine: { maxWriteBuffer: 64 * 1024 }, echo: false });
    const sid = await handshake(h);
    const big = 'y'.repeat(512 * 1024);
    sessionOf(h, sid).send(big);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sessionOf(h, sid).readyState).toBe('open');
    expect((await poll(h, sid)).body).toBe('4' + big);
  });
});
