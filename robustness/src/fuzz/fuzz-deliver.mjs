// Sends one fuzz case (fuzz-cases.mjs) to the server over a real socket and counts what happened.
import { randomBytes } from 'node:crypto';
import { WireClient } from '../wire/wire-client.mjs';
import { encodePayload } from '../wire/wire-codec.mjs';
import { WebSocketLink, request } from '../wire/wire-links.mjs';
import { casePackets, mutate } from './fuzz-cases.mjs';

const TEXT = { 'content-type': 'text/plain;charset=UTF-8' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const OCTET = { 'content-type': 'application/octet-stream' };
const RECENT = 64;

/** Figures of a fuzz run, per generation, and the recent fuzz session ids (never a good client's). */
export function newTally() {
  const per = () => ({ cases: 0, inputs: 0, statuses: {}, failedOpens: 0 });
  return { eio4: per(), eio3: per(), '0.9': per(), recentSids: [], openErrors: [] };
}

const ENGINE_PATH = { eio4: '/socket.io/?EIO=4&transport=', eio3: '/socket.io/?EIO=3&transport=' };

/** The polling and websocket URLs of a session id for a generation. */
function urls(generation, sid) {
  if (generation === '0.9') return { polling: `/socket.io/1/xhr-polling/${sid}`, websocket: `/socket.io/1/websocket/${sid}` };
  return { polling: `${ENGINE_PATH[generation]}polling&sid=${sid}`, websocket: `${ENGINE_PATH[generation]}websocket&sid=${sid}` };
}

/** The Engine.IO v3 binary payload: `<0 text|1 binary><length digits as bytes><0xFF><data>` records. */
function octetPayload(packets) {
  return Buffer.concat(
    packets.flatMap((p) => {
      const data = Buffer.from(p, 'utf8');
      const digits = String(data.length).split('').map(Number);
      return [Buffer.from([0, ...digits, 0xff]), data];
    }),
  );
}

function count(t, generation, status) {
  const s = t[generation].statuses;
  s[status] = (s[status] ?? 0) + 1;
}

/** Percent-encodes every byte but the unreserved ones (encodeURIComponent throws on a lone surrogate). */
function formEncode(text) {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** An HTTP answer's status, or `net <code>` when the request failed (reset, aborted). */
const statusOf = (res) => (res.status === 0 ? `net ${res.body}` : res.status);

export async function runCase(port, c, tally) {
  const t = tally[c.generation];
  t.cases++;
  const packets = casePackets(c);
  let body = encodePayload(c.generation, packets.map((p) => p.text));
  for (const m of c.bodyMutations) body = mutate(body, m, c.generation);

  if (c.sid !== 'own') return strangerSid(port, c, packets, body, tally);
  if (c.transport === 'jsonp' && c.generation !== 'eio4') return jsonp(port, c, body, tally);
  if (c.transport === 'jsonp') {
    // Engine.IO v4 has no JSONP: the handshake must be refused, then the case goes on over polling.
    const res = await request(port, `${ENGINE_PATH.eio4}polling&j=${formEncode(c.jsonpIndex)}`);
    count(tally, 'eio4', statusOf(res));
    t.inputs++;
  }
  const transport = c.transport === 'websocket' || (c.transport === 'upgrade' && c.generation === '0.9') ? 'websocket' : 'polling';
  let client;
  try {
    client = await WireClient.connect({ port, generation: c.generation, transport, namespaces: ['/', ...c.namespaces], timeoutMs: 15_000 });
  } catch (err) {
    t.failedOpens++;
    if (tally.openErrors.length < 10) tally.openErrors.push(`${c.generation}/${transport}: ${err.message}`);
    return;
  }
  remember(tally, c.generation, client.sid);
  const serverClosed = new Promise((resolve) => client.once('close', resolve));
  if (transport === 'websocket') {
    for (const p of packets) client.link.sendRaw(p.binary ? Buffer.from(p.text, 'utf8') : p.text);
    t.inputs += packets.length;
  } else if (c.transport === 'upgrade') {
    await rawWebSocket(port, urls(c.generation, client.sid).websocket, packets, c, tally);
    t.inputs += packets.length;
  } else {
    const octet = c.octet && c.generation === 'eio3';
    const res = await client.link.postRaw(octet ? octetPayload(packets.map((p) => p.text)) : body, octet ? OCTET : TEXT);
    count(tally, c.generation, statusOf(res));
    t.inputs++;
  }
  if (c.ending === 'double-get' && transport === 'polling' && !client.closed) {
    // A second GET while the client's own is held: the session must close (the first is answered `1`).
    count(tally, c.generation, `double GET ${statusOf(await request(port, `${client.link.path}${client.link.path.includes('?') ? '&' : '?'}t=2`))}`);
  }
  if (c.ending === 'wait') await Promise.race([serverClosed, new Promise((r) => setTimeout(r, 300))]);
  if (c.ending === 'abandon') client.abandon();
  else await client.close();
}

function remember(tally, generation, sid) {
  tally.recentSids.push({ generation, sid });
  if (tally.recentSids.length > RECENT) tally.recentSids.shift();
}

/** A session id that is not the case's own: random, a recent one of this generation, or another generation's. */
function strangerSid(port, c, packets, body, tally) {
  const same = tally.recentSids.filter((r) => (r.generation === c.generation) === (c.sid === 'stale'));
  const sid = c.sid === 'random' || same.length === 0 ? randomBytes(15).toString('base64url') : same[c.packets[0].base % same.length].sid;
  const url = urls(c.generation, sid);
  tally[c.generation].inputs++;
  if (c.transport === 'websocket') return rawWebSocket(port, url.websocket, packets, c, tally);
  return request(port, url.polling, { method: 'POST', body, headers: TEXT }).then((res) => count(tally, c.generation, statusOf(res)));
}

async function rawWebSocket(port, path, packets, c, tally) {
  const link = new WebSocketLink(port, path);
  const ended = new Promise((resolve) => link.start(() => {}, resolve));
  try {
    await link.opened;
  } catch {
    count(tally, c.generation, 'ws refused');
    return;
  }
  count(tally, c.generation, 'ws opened');
  for (const p of packets) link.sendRaw(p.binary ? Buffer.from(p.text, 'utf8') : p.text);
  await Promise.race([ended, new Promise((r) => setTimeout(r, 100))]);
  link.close();
}

/** JSONP polling: Engine.IO v3's `j=N` with a `d=` form POST, or the 0.9 jsonp-polling transport. */
async function jsonp(port, c, body, tally) {
  const t = tally[c.generation];
  const index = formEncode(c.jsonpIndex);
  let postPath;
  let poll;
  const abort = new AbortController();
  if (c.generation === 'eio3') {
    const res = await request(port, `${ENGINE_PATH.eio3}polling&j=${index}`);
    count(tally, 'eio3', statusOf(res));
    const sid = /sid\\*":\\*"([\w-]+)/.exec(res.body)?.[1];
    if (res.status !== 200 || sid === undefined) return;
    remember(tally, 'eio3', sid);
    postPath = `${ENGINE_PATH.eio3}polling&j=${index}&sid=${sid}`;
  } else {
    const res = await request(port, `/socket.io/1/?t=${Date.now()}`);
    const sid = res.body.split(':')[0];
    if (res.status !== 200) return count(tally, '0.9', statusOf(res));
    remember(tally, '0.9', sid);
    postPath = `/socket.io/1/jsonp-polling/${sid}?i=${index}`;
    poll = request(port, `${postPath}&t=${Date.now()}`, { signal: abort.signal });
  }
  const form = c.octet ? `d=${body}` : `d=${formEncode(c.generation === '0.9' ? JSON.stringify(body) : body)}`;
  const res = await request(port, postPath, { method: 'POST', body: form, headers: FORM });
  count(tally, c.generation, statusOf(res));
  t.inputs++;
  abort.abort();
  await poll;
}
