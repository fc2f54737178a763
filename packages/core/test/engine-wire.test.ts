// Engine.IO v4 sessions over raw HTTP long-polling and raw websockets: messages and the upgrade.
import { describe, expect, it } from 'vitest';
import type { CloseReason } from '../src/index.js';
import {
  getHeld,
  type Harness,
  handshake,
  heldPoll,
  openWebSocketSession,
  poll,
  pollingUrl,
  push,
  SEP,
  SESSION_GONE,
  sessionOf,
  until,
  useHarness,
  waitFor,
  within,
  type WsPeer,
} from './helpers.js';

const t = useHarness();

describe('messages over polling', () => {
  it('round-trips one text packet', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const received = waitFor<[string | Buffer]>(sessionOf(h, sid), 'message');
    expect(await push(h, sid, '4hello')).toMatchObject({ status: 200, body: 'ok' });
    expect(await received).toEqual(['hello']);
    expect(await poll(h, sid)).toMatchObject({ status: 200, body: '4hello' });
  });

  it('round-trips several packets in one body, in order', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const payload = ['4one', '4two', '4', '4thr\u00e9e \ud83d\ude00'].join(SEP);
    expect((await push(h, sid, payload)).body).toBe('ok');
    expect((await poll(h, sid)).body).toBe(payload);
  });

  it('round-trips binary as b<base64>, a Buffer on the server', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const seen: Array<string | Buffer> = [];
    sessionOf(h, sid).on('message', (data) => seen.push(data));
    expect((await push(h, sid, `4text${SEP}bAQIDBA==`)).body).toBe('ok');
    expect((await poll(h, sid)).body).toBe(`4text${SEP}bAQIDBA==`);
    expect(seen[0]).toBe('text');
    expect(Buffer.isBuffer(seen[1])).toBe(true);
    expect([...(seen[1] as Buffer)]).toEqual([1, 2, 3, 4]);
  });

  it('delivers what the server sends while a GET is held', async () => {
    const h = await t.start({ echo: false });
    const sid = await handshake(h);
    const { answer: pending } = await heldPoll(h, sid);
    sessionOf(h, sid).send('a').send(Buffer.from([255, 0]));
    expect((await pending).body).toBe(`4a${SEP}b/wA=`);
  });

  it.each([
    ['an unknown packet type', 'abc'],
    ['bad base64', 'b***'],
    ['an empty record', `4a${SEP}${SEP}4b`],
  ])('closes the session on %s', async (_name, body) => {
    const h = await t.start();
    const sid = await handshake(h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, sid), 'close');
    expect((await push(h, sid, body)).status).toBe(400);
    expect((await closed)[0]).toBe('parse error');
    const after = await poll(h, sid);
    expect(after.status).toBe(400);
    expect(JSON.parse(after.body)).toEqual(SESSION_GONE);
  });

  it('closes the session on two overlapping GETs: the first gets "1", the second 400', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, sid), 'close');
    const { answer: first } = await heldPoll(h, sid);
    const second = await poll(h, sid);
    expect(second.status).toBe(400);
    expect(await first).toMatchObject({ status: 200, body: '1' });
    expect((await closed)[0]).toBe('transport error');
    expect((await poll(h, sid)).status).toBe(400);
    expect(h.engine.sessionCount).toBe(0);
  });

  it('closes the session when the client gives up a held GET', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, sid), 'close');
    const abort = new AbortController();
    const held = fetch(pollingUrl(h, sid), { signal: abort.signal });
    await getHeld(h, sid);
    abort.abort();
    await expect(held).rejects.toThrow();
    expect((await closed)[0]).toBe('transport error');
  });
});

describe('messages over websocket', () => {
  it('round-trips text and binary frames', async () => {
    const h = await t.start();
    const { peer, open } = await openWebSocketSession(t.ws, h);
    const seen: Array<string | Buffer> = [];
    sessionOf(h, open.sid).on('message', (data) => seen.push(data));
    peer.send('4hello');
    expect(await peer.next()).toEqual({ data: '4hello', binary: false });
    peer.send(Uint8Array.from([1, 2, 3, 4]));
    const frame = await peer.next();
    expect(frame.binary).toBe(true);
    expect([...(frame.data as Buffer)]).toEqual([1, 2, 3, 4]);
    expect(seen[0]).toBe('hello');
    expect(Buffer.isBuffer(seen[1]) && [...seen[1]]).toEqual([1, 2, 3, 4]);
  });

  it('frames text of every header size (7-bit, 16-bit and 64-bit lengths, counted in UTF-8 bytes)', async () => {
    const h = await t.start();
    const { peer } = await openWebSocketSession(t.ws, h);
    // 124 + '4' is the largest 7-bit length; é is two bytes, so 63 of them cross to 16 bits by bytes, not chars.
    const texts = ['', 'x'.repeat(124), 'x'.repeat(125), '\u00e9'.repeat(63), 'y'.repeat(0xffff - 1), 'z'.repeat(0xffff), '\ud83d\ude00'.repeat(20_000)];
    for (const text of texts) {
      peer.send(`4${text}`);
      expect(await peer.next()).toEqual({ data: `4${text}`, binary: false });
    }
  });

  it('closes the session on a packet that does not parse', async () => {
    const h = await t.start();
    const { peer, open } = await openWebSocketSession(t.ws, h);
    const closed = waitFor<[CloseReason]>(sessionOf(h, open.sid), 'close');
    peer.send('abc');
    expect((await closed)[0]).toBe('parse error');
    await peer.closed;
    expect(h.engine.sessionCount).toBe(0);
  });
});

describe('upgrade from polling to websocket', () => {
  async function probe(h: Harness, sid: string): Promise<WsPeer> {
    const peer = await t.ws(`${h.wsBase}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    peer.send('2probe');
    expect(await peer.text()).toBe('3probe');
    return peer;
  }

  it('probes, ends the poll with "6", switches on "5", then refuses polling with code 3', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const session = sessionOf(h, sid);
    const upgraded = waitFor<[{ name: string }]>(session, 'upgrade');
    const peer = await probe(h, sid);
    expect(await poll(h, sid)).toMatchObject({ status: 200, body: '6' });
    peer.send('5');
    expect((await upgraded)[0].name).toBe('websocket');
    expect(session.transport.name).toBe('websocket');
    peer.send('4over ws');
    expect(await peer.text()).toBe('4over ws');
    for (const res of [await poll(h, sid), await push(h, sid, '4x')]) {
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ code: 3, message: 'Bad request' });
    }
    expect(session.readyState).toBe('open');
  });

  it('answers a GET already held with "6" and sends what was held back over the websocket', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const { answer: held } = await heldPoll(h, sid);
    const peer = await probe(h, sid);
    expect((await held).body).toBe('6');
    sessionOf(h, sid).send('during upgrade');
    peer.send('5');
    expect(await peer.text()).toBe('4during upgrade');
  });

  it('accepts "2probe" then "5" sent back to back', async () => {
    const h = await t.start();
    const sid = await handshake(h);
    const peer = await t.ws(`${h.wsBase}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    peer.send('2probe');
    peer.send('5');
    expect(await peer.text()).toBe('3probe');
    expect((await poll(h, sid)).status).toBe(400);
    peer.send('4hello');
    expect(await peer.text()).toBe('4hello');
  });

  it('closes a second websocket for an upgraded session at once and keeps the first', async () => {
    const h = await t.start({ engine: { upgradeTimeout: 10_000 } });
    const sid = await handshake(h);
    const peer = await probe(h, sid);
    peer.send('5');
    await until(() => sessionOf(h, sid).transport.name === 'websocket');
    const intruder = await t.ws(`${h.wsBase}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    // Well before upgradeTimeout, which would close a mere idle probe too.
    await within(intruder.closed, 3000, 'closing the second websocket');
    peer.send('4still here');
    expect(await peer.text()).toBe('4still here');
  });

  it('drops a probe that never sends "5" and carries on over polling', async () => {
    const h = await t.start({ engine: { upgradeTimeout: 200 } });
    const sid = await handshake(h);
    const peer = await probe(h, sid);
    await peer.closed;
    const session = sessionOf(h, sid);
    expect(session.transport.name).toBe('polling');
    expect(session.upgrading).toBe(false);
    expect((await push(h, sid, '4after')).body).toBe('ok');
    expect((await poll(h, sid)).body).toBe('4after');
  });
});
