// The lightweight long-polling load client, for the echo scenario: one GET held open at all times and
// one POST per message, over a keep-alive agent, speaking just enough of each generation's polling wire.
//
//   v4   GET ?EIO=4&transport=polling → 0{sid}; POST 40; packets joined by \x1e
//   v3   GET ?EIO=3&transport=polling → 0{sid} and 40; payload `<length>:<packet>` repeated
//   0.9  GET /socket.io/1/ → sid; GET/POST /socket.io/1/xhr-polling/<sid>; `\ufffd<length>\ufffd<packet>` framing
import { Agent, request } from 'node:http';
import { legacyHandshake } from './wire-client.mjs';

export const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function http(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) };
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${method} ${path} → ${res.statusCode} ${text.slice(0, 80)}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Splits `<length>:<packet>` (v3) or `\ufffd<length>\ufffd<packet>` (0.9) payloads. */
function splitLengths(body, sep, lead) {
  if (lead && body[0] !== lead) return [body];
  const out = [];
  let i = 0;
  while (i < body.length) {
    if (lead) i++;
    const at = body.indexOf(sep, i);
    const len = Number(body.slice(i, at));
    out.push(body.slice(at + 1, at + 1 + len));
    i = at + 1 + len;
  }
  return out;
}

const gens = {
  v4: {
    async open(port) {
      const base = `/socket.io/?EIO=4&transport=polling`;
      const sid = JSON.parse((await http(port, 'GET', base)).slice(1)).sid;
      const path = `${base}&sid=${sid}`;
      await http(port, 'POST', path, '40');
      return { path };
    },
    split: (body) => body.split('\x1e'),
    frame: (packets) => packets.join('\x1e'),
    isReady: (p) => p.startsWith('40'),
    isAck: (p) => p.startsWith('43'),
    pong: (p) => (p === '2' ? '3' : undefined),
    echo: (payload) => `421${JSON.stringify(['echo', payload])}`,
    bye: '1',
  },
  v3: {
    async open(port) {
      const base = `/socket.io/?EIO=3&transport=polling`;
      const first = splitLengths(await http(port, 'GET', base), ':');
      const sid = JSON.parse(first[0].slice(1)).sid;
      return { path: `${base}&sid=${sid}`, early: first.slice(1) };
    },
    split: (body) => splitLengths(body, ':'),
    frame: (packets) => packets.map((p) => `${p.length}:${p}`).join(''),
    isReady: (p) => p.startsWith('40'),
    isAck: (p) => p.startsWith('43'),
    pong: () => undefined,
    echo: (payload) => `421${JSON.stringify(['echo', payload])}`,
    bye: '1',
  },
  '0.9': {
    async open(port) {
      const sid = await legacyHandshake(port, agent);
      return { path: `/socket.io/1/xhr-polling/${sid}` };
    },
    split: (body) => splitLengths(body, '\ufffd', '\ufffd'),
    frame: (packets) => (packets.length === 1 ? packets[0] : packets.map((p) => `\ufffd${p.length}\ufffd${p}`).join('')),
    isReady: (p) => p.startsWith('1::'),
    isAck: (p) => p.startsWith('6:'),
    pong: (p) => (p.startsWith('2::') ? '2::' : undefined),
    echo: (payload) => `5:1+::${JSON.stringify({ name: 'echo', args: [payload] })}`,
    bye: '0::',
  },
};

/**
 * One polling echo client: resolves once namespace `/` is joined with `{ send(done), close() }`;
 * `send` posts one echo-with-ack and calls `done` when the ack came back on the held GET.
 */
export async function pollingEchoClient(gen, port, payload) {
  const wire = gens[gen];
  const { path, early = [] } = await wire.open(port);
  const frame = wire.echo(payload);
  let closed = false;
  let pending;
  let ready;
  const isReady = new Promise((resolve) => (ready = resolve));
  const onPacket = (p) => {
    const pong = wire.pong(p);
    if (pong !== undefined) return void http(port, 'POST', path, wire.frame([pong])).catch(() => {});
    if (wire.isReady(p)) return ready();
    if (wire.isAck(p)) {
      const done = pending;
      pending = undefined;
      done?.();
    }
  };
  early.forEach(onPacket);
  const poll = async () => {
    while (!closed) {
      let body;
      try {
        body = await http(port, 'GET', `${path}${path.includes('?') ? '&' : '?'}t=${Date.now()}`);
      } catch {
        return;
      }
      for (const p of wire.split(body)) onPacket(p);
    }
  };
  poll();
  await isReady;
  return {
    send(done) {
      pending = done;
      http(port, 'POST', path, wire.frame([frame])).catch(() => {});
    },
    close() {
      closed = true;
      return http(port, 'POST', path, wire.frame([wire.bye])).catch(() => {});
    },
  };
}
