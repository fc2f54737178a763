// Engine.IO v3 at the HTTP and websocket level, byte for byte: what the official v3 suite does not
// reach — JSONP polling (script-safe answers, numeric index, form posts), binary bodies both ways, the
// client-driven heartbeat after an upgrade, and a broadcast prepared once for v3 and v4 sessions.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PreparedMessage } from '../src/index.js';
import { type Harness, parseOpen, rawGet, sessionOf, until, useHarness, waitFor } from './helpers.js';

const t = useHarness();

const v3Url = (h: Harness, extra = ''): string => `${h.base}/engine.io/?EIO=3&transport=polling${extra}`;

/** Splits a v3 text payload into its packets, checking every length. */
function records(payload: string): string[] {
  const out: string[] = [];
  let rest = payload;
  while (rest.length > 0) {
    const colon = rest.indexOf(':');
    const length = Number(rest.slice(0, colon));
    out.push(rest.slice(colon + 1, colon + 1 + length));
    rest = rest.slice(colon + 1 + length);
  }
  return out;
}

/** Runs a JSONP answer as a browser would and returns the string it hands to `___eio[index]`. */
function runJsonp(script: string, index: number): string {
  const received: string[] = [];
  const ___eio: Array<(data: string) => void> = [];
  ___eio[index] = (data) => received.push(data);
  runInNewContext(script, { ___eio });
  expect(received).toHaveLength(1);
  return received[0]!;
}

async function jsonpHandshake(h: Harness, index = 0): Promise<string> {
  const res = await fetch(v3Url(h, `&j=${index}`));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/javascript; charset=UTF-8');
  const [open] = records(runJsonp(await res.text(), index));
  return parseOpen(open!).sid;
}

function postForm(url: string, data: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ d: data }).toString(),
  });
}

describe('JSONP polling (j=N)', () => {
  it('answers ___eio[N]("…"); and reads a form field d, escaped newlines and all', async () => {
    const h = await t.start();
    const sid = await jsonpHandshake(h, 3);
    expect(sessionOf(h, sid).protocol).toBe(3);
    // As engine.io-client 3 escapes it: a newline travels as \n, a backslash-n of the data as \\n.
    const message = 'line1\nline2 \\n "quoted" </script><script>alert(1)</script> \u2028\u2029 é😀';
    const escaped = ('4' + message).replace(/\\n/g, '\\\n').replace(/\n/g, '\\n');
    const posted = await postForm(v3Url(h, `&j=3&sid=${sid}`), `${('4' + message).length}:${escaped}`);
    expect(posted.status).toBe(200);
    expect(await posted.text()).toBe('ok');

    const res = await fetch(v3Url(h, `&j=3&sid=${sid}`));
    const script = await res.text();
    expect(script.startsWith('___eio[3]("')).toBe(true);
    expect(script.endsWith('");')).toBe(true);
    for (const unsafe of ['</script>', '\u2028', '\u2029', '\n']) expect(script).not.toContain(unsafe);
    expect(records(runJsonp(script, 3))).toEqual(['4' + message]);
  });

  it('accepts only a plain number as the callback index', async () => {
    const h = await t.start();
    for (const index of ['abc', '1;alert(1)', '', '-1', '0x1', '1234567890']) {
      const res = await fetch(v3Url(h, `&j=${encodeURIComponent(index)}`));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 3, message: 'Bad request' });
    }
    expect(h.engine.sessionCount).toBe(0);
  });

  it('sends binary as b4<base64> and closes a session whose form has no d field', async () => {
    const h = await t.start();
    const sid = await jsonpHandshake(h);
    sessionOf(h, sid).send(Buffer.from([1, 2, 3, 4]));
    expect(records(runJsonp(await (await fetch(v3Url(h, `&j=0&sid=${sid}`))).text(), 0))).toEqual(['b4AQIDBA==']);
    const bad = await fetch(v3Url(h, `&j=0&sid=${sid}`), { method: 'POST', body: 'x=1' });
    expect(bad.status).toBe(400);
    expect(h.engine.sessions.has(sid)).toBe(false);
  });
});

describe('XHR polling bodies', () => {
  it('reads an application/octet-stream POST and answers binary GETs with one', async () => {
    const h = await t.start();
    const open = parseOpen(records(await (await fetch(v3Url(h))).text())[0]!);
    const body = Buffer.from([0, 6, 255, 52, 104, 101, 108, 108, 111, 1, 5, 255, 4, 1, 2, 3, 4]);
    const posted = await fetch(v3Url(h, `&sid=${open.sid}`), { method: 'POST', body, headers: { 'Content-Type': 'application/octet-stream' } });
    expect(posted.status).toBe(200);
    const res = await rawGet(v3Url(h, `&sid=${open.sid}`));
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.body).toEqual(body);
  });

  it('closes a session whose binary body does not parse', async () => {
    const h = await t.start();
    const sid = parseOpen(records(await (await fetch(v3Url(h))).text())[0]!).sid;
    const closed = waitFor<[string]>(sessionOf(h, sid), 'close');
    const posted = await fetch(v3Url(h, `&sid=${sid}`), { method: 'POST', body: Buffer.from([0, 9, 255, 52]), headers: { 'Content-Type': 'application/octet-stream' } });
    expect(posted.status).toBe(400);
    expect((await closed)[0]).toBe('parse error');
  });

  it('refuses a request that names a v3 session with EIO=4', async () => {
    const h = await t.start();
    const sid = parseOpen(records(await (await fetch(v3Url(h, '&b64=1'))).text())[0]!).sid;
    expect((await fetch(`${h.base}/engine.io/?EIO=4&transport=polling&sid=${sid}`)).status).toBe(400);
  });
});

describe('heartbeat and broadcast', () => {
  it('never pings a v3 client, and enforces its own pings after an upgrade', async () => {
    const h = await t.start({ engine: { pingInterval: 200, pingTimeout: 200 } });
    const sid = parseOpen(records(await (await fetch(v3Url(h, '&b64=1'))).text())[0]!).sid;
    const peer = await t.ws(`${h.wsBase}/engine.io/?EIO=3&transport=websocket&sid=${sid}`);
    peer.send('2probe');
    expect(await peer.text()).toBe('3probe');
    peer.send('5');
    await until(() => sessionOf(h, sid).transport.name === 'websocket');
    // 640 ms of pings every 80 ms, well past the 400 ms of silence allowed (with room for a slow
    // machine between two pings), and the session stays.
    for (let i = 0; i < 8; i++) {
      peer.send('2');
      expect(await peer.text()).toBe('3'); // an answer, never a ping of the server's
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    const closed = waitFor<[string]>(sessionOf(h, sid), 'close');
    expect((await closed)[0]).toBe('ping timeout');
    await peer.closed;
  });

  it('prepares a broadcast once per wire format: v3 frames carry the type byte, v4 ones do not', async () => {
    const h = await t.start({ echo: false });
    const v3 = await t.ws(`${h.wsBase}/engine.io/?EIO=3&transport=websocket`);
    const v4 = await t.ws(`${h.wsBase}/engine.io/?EIO=4&transport=websocket`);
    const ids = [parseOpen(await v3.text()).sid, parseOpen(await v4.text()).sid];
    const message = new PreparedMessage(Buffer.from([7, 8]), true);
    for (const id of ids) sessionOf(h, id).sendPrepared(message);
    expect((await v3.next()).data).toEqual(Buffer.from([4, 7, 8]));
    expect((await v4.next()).data).toEqual(Buffer.from([7, 8]));
    expect(message.eio3WsFrame).toBe(message.eio3WsFrame);
    expect(message.eio3BinaryRecord).toBe(message.eio3BinaryRecord);
    expect(message.eio3TextRecord).toBe('6:b4Bwg=');
  });
});
