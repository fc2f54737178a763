// Engine.IO v4 session lifetimes over raw HTTP long-polling and raw websockets: heartbeat and close.
import { describe, expect, it } from 'vitest';
import type { CloseReason } from '../src/index.js';
import { handshake, heldPoll, openWebSocketSession, poll, push, SEP, SESSION_GONE, sessionOf, until, useHarness, waitFor } from './helpers.js';

const t = useHarness();

describe('heartbeat', () => {
  // Pings every 250 ms; four answered rounds last longer than one interval plus the timeout.
  const beating = { pingInterval: 250, pingTimeout: 400 };

  it('pings over polling and keeps a session that answers alive', async () => {
    const h = await t.start({ engine: beating });
    const sid = await handshake(h);
    let heartbeats = 0;
    sessionOf(h, sid).on('heartbeat', () => heartbeats++);
    for (let i = 0; i < 4; i++) {
      expect(await poll(h, sid)).toMatchObject({ status: 200, body: '2' });
      expect((await push(h, sid, '3')).body).toBe('ok');
    }
    expect(heartbeats).toBe(4);
    expect(sessionOf(h, sid).readyState).toBe('open');
  });

  it('pings over websocket and keeps a session that answers alive', async () => {
    const h = await t.start({ engine: beating });
    const { peer, open } = await openWebSocketSession(t.ws, h);
    for (let i = 0; i < 4; i++) {
      expect(await peer.text()).toBe('2');
      peer.send('3');
    }
    expect(sessionOf(h, open.sid).readyState).toBe('open');
  });

  it('closes a polling session that does not answer, and later requests get 400', async () => {
    const h = await t.start({ engine: { pingInterval: 150, pingTimeout: 150 } });
    const opened = performance.now();
    const sid = await handshake(h);
    const [reason] = await waitFor<[CloseReason]>(sessionOf(h, sid), 'close');
    expect(reason).toBe('ping timeout');
    // Not before pingInterval + pingTimeout (300 ms), give or take a timer's rounding.
    expect(performance.now() - opened).toBeGreaterThanOrEqual(280);
    const after = await poll(h, sid);
    expect(after.status).toBe(400);
    expect(JSON.parse(after.body)).toEqual(SESSION_GONE);
  });

  it('answers a poll held through a ping timeout with a close packet', async () => {
    const h = await t.start({ engine: { pingInterval: 150, pingTimeout: 150 } });
    const sid = await handshake(h);
    expect(await poll(h, sid)).toMatchObject({ status: 200, body: '2' });
    const held = poll(h, sid); // never answered by a pong: the server gives up while this GET waits
    expect(await held).toMatchObject({ status: 200, body: '1' });
    expect((await poll(h, sid)).status).toBe(400);
  });

  it('closes a websocket that does not answer', async () => {
    const h = await t.start({ engine: { pingInterval: 150, pingTimeout: 150 } });
    const opened = performance.now();
    const { peer, open } = await openWebSocketSession(t.ws, h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, open.sid), 'close');
    expect(await peer.text()).toBe('2');
    expect((await closed)[0]).toBe('ping timeout');
    await peer.closed;
    expect(performance.now() - opened).toBeGreaterThanOrEqual(280);
  });
});

describe('heartbeat timers', () => {
  const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

  it('pings each session an interval after its own start, all sessions on the same two timers', async () => {
    const h = await t.start({ engine: { pingInterval: 200, pingTimeout: 1000 } });
    const before = timers();
    const firstOpening = performance.now();
    const first = await openWebSocketSession(t.ws, h);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const othersOpening = performance.now();
    const others = await Promise.all(Array.from({ length: 20 }, () => openWebSocketSession(t.ws, h)));
    expect(timers() - before).toBeLessThanOrEqual(2);

    expect(await first.peer.text()).toBe('2');
    // A session's first ping comes a pingInterval after its own start (less a timer's rounding), not on
    // the first session's schedule.
    expect(performance.now() - firstOpening).toBeGreaterThanOrEqual(195);
    for (const { peer } of others) expect(await peer.text()).toBe('2');
    expect(performance.now() - othersOpening).toBeGreaterThanOrEqual(195);

    const peers = [first, ...others].map(({ peer }) => peer);
    for (const peer of peers) peer.ws.close();
    await Promise.all(peers.map((peer) => peer.closed));
    await until(() => h.engine.sessionCount === 0);
    expect(timers()).toBeLessThanOrEqual(before); // the heartbeat timers stop with the last session
  });
});

describe('client close', () => {
  it('over polling: a held GET is answered "6" and the session is gone', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, sid), 'close');
    const { answer: held } = await heldPoll(h, sid);
    expect((await push(h, sid, '1')).body).toBe('ok');
    expect(await held).toMatchObject({ status: 200, body: '6' });
    expect((await closed)[0]).toBe('transport close');
    expect((await poll(h, sid)).status).toBe(400);
  });

  it('over websocket: the connection is closed', async () => {
    const h = await t.start();
    const { peer, open } = await openWebSocketSession(t.ws, h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, open.sid), 'close');
    peer.send('1');
    expect((await closed)[0]).toBe('transport close');
    await peer.closed;
  });
});

describe('server close', () => {
  // Queued packets and the close packet never share a body: socket.io-client handles messages a tick
  // after the engine.io-client under it has seen the close packet of the same body, and would lose them.
  it('over polling with no GET held: the next GET gets what was queued, the one after it a noop and "1" (as engine.io)', async () => {
    const h = await t.start({ echo: false });
    const sid = await handshake(h);
    const session = sessionOf(h, sid);
    const closed = waitFor<[CloseReason]>(session, 'close');
    session.send('bye').send('for now');
    session.close();
    expect(session.readyState).toBe('closing');
    expect(await poll(h, sid)).toMatchObject({ status: 200, body: `4bye${SEP}4for now` });
    expect(session.readyState).toBe('closing');
    expect(await poll(h, sid)).toMatchObject({ status: 200, body: '6\x1e1' });
    expect((await closed)[0]).toBe('forced close');
    expect(JSON.parse((await poll(h, sid)).body)).toEqual(SESSION_GONE);
  });

  it('over polling with a GET held: that GET gets what was queued, the next one a noop and "1" (as engine.io)', async () => {
    const h = await t.start({ echo: false });
    const sid = await handshake(h);
    const session = sessionOf(h, sid);
    const { answer: held } = await heldPoll(h, sid);
    session.send('bye');
    session.close();
    expect((await held).body).toBe('4bye');
    expect((await poll(h, sid)).body).toBe('6\x1e1');
    expect(session.readyState).toBe('closed');
    expect(h.engine.sessionCount).toBe(0);
  });

  it('over polling with nothing queued: a held GET gets "1" at once', async () => {
    const h = await t.start({ echo: false });
    const sid = await handshake(h);
    const session = sessionOf(h, sid);
    const { answer: held } = await heldPoll(h, sid);
    session.close();
    expect(session.readyState).toBe('closed');
    expect((await held).body).toBe('1');
  });

  it('over polling: gives up on a client that does not come back within pingTimeout', async () => {
    const h = await t.start({ echo: false, engine: { pingInterval: 10_000, pingTimeout: 300 } });
    const session = sessionOf(h, await handshake(h));
    const closed = waitFor<[CloseReason]>(session, 'close', 5000);
    session.close();
    expect((await closed)[0]).toBe('forced close');
  });

  it('over websocket: what was queued, then "1", then the connection closes', async () => {
    const h = await t.start({ echo: false });
    const { peer, open } = await openWebSocketSession(t.ws, h);
    const session = sessionOf(h, open.sid);
    session.send('bye');
    session.close();
    expect(await peer.text()).toBe('4bye');
    expect(await peer.text()).toBe('1');
    await peer.closed;
    expect(session.readyState).toBe('closed');
  });

  it('engine.close() ends every session and resolves once their connections are gone', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const { answer: held } = await heldPoll(h, sid);
    const { peer, open } = await openWebSocketSession(t.ws, h);
    const reasons: CloseReason[] = [];
    for (const id of [sid, open.sid]) sessionOf(h, id).on('close', (reason) => reasons.push(reason));
    await h.engine.close();
    expect((await held).body).toBe('1');
    expect(peer.ws.readyState).toBe(peer.ws.CLOSED);
    expect(reasons).toEqual(['server shutting down', 'server shutting down']);
    expect(h.engine.sessionCount).toBe(0);
  });
});
