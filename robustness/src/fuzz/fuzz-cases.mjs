// What the wire fuzz sends: valid packets of every generation (the corpus), mutated by fast-check
// arbitraries (byte flips, truncation, duplication, splicing packets of another generation, huge numbers,
// deep nesting, bad attachment counts, odd characters), grouped into cases that also pick a transport,
// the namespaces to join first, a session id to use (its own, a random one, a stale one, another
// generation's) and how the case ends (closed, abandoned, left to the server, or with two overlapping GETs).
// Transport `upgrade` opens a polling session and sends the packets on a websocket to the same session id
// (the corpus holds the upgrade's `2probe` and `5`).
import fc from 'fast-check';
import { GENERATIONS } from '../wire/wire-codec.mjs';

/** Valid engine-level packets (text) per generation, sent after the case's client has joined `/`. */
export const CORPUS = {
  eio4: [
    '40', '40/chat,', '40/cls,', '40{"token":"x"}', '41', '41/chat,', '42["echo",1]', '421["echo",{"a":[1,"x"]}]',
    '42/chat,7["join","r1"]', '42/chat,["say","r1","hi"]', '42/cls,3["echo","c"]', '42["join","all"]',
    '451-["echo",{"_placeholder":true,"num":0}]', 'bAQID', '43["x"]', '461-[{"_placeholder":true,"num":0}]',
    '2', '3', '5', '6', '1', '2probe', '3probe', '4',
  ],
  eio3: [
    '40/chat,', '40/cls?token=1,', '41/chat,', '42["echo",1]', '421["echo",{"a":[1,"x"]}]', '42/chat,7["join","r1"]',
    '42/cls,3["echo","c"]', '451-["echo",{"_placeholder":true,"num":0}]', 'b4AQID', '43["x"]', '2', '2probe', '5', '6', '1',
  ],
  '0.9': [
    '1::/chat', '1::/cls', '5:1+::{"name":"echo","args":[1]}', '5:::{"name":"join","args":["r1"]}',
    '5:2+:/chat:{"name":"echo","args":[{"a":1}]}', '5:3:/cls:{"name":"echo","args":["c"]}', '3:::hello', '3:4+::hello',
    '4:::{"a":1}', '6:::1+[1]', '6:::1', '2::', '0::/chat', '0::', '8::', '7:::1+0', '1::', '5:::{"name":"connect","args":[]}',
  ],
};
const EVERY_PACKET = GENERATIONS.flatMap((g) => CORPUS[g]);

const ODD = ['\x00', '\x1e', '\ufffd', ':', '+', '-', ',', '/', '[', ']', '{', '}', '"', '\\', '\ud800', '\udfff', '\u2028', 'é', '</script>', '\r\n', '%', '&d='];
const HUGE = ['99999999999999999999999', '-1', '1e309', '4294967296', '9007199254740993', '0x10', '', '000000000000000000000001', 'NaN'];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip'), at: fc.nat(), bit: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate'), at: fc.nat(), length: fc.nat(64), times: fc.integer({ min: 2, max: 40 }) }),
  fc.record({ kind: fc.constant('splice'), other: fc.nat(), at: fc.nat(), from: fc.nat() }),
  fc.record({ kind: fc.constant('huge'), digits: fc.constantFrom(...HUGE), nth: fc.nat(3) }),
  fc.record({ kind: fc.constant('nest'), depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 80, max: 60_000 })), object: fc.boolean() }),
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), text: fc.oneof(fc.constantFrom(...ODD), fc.string({ unit: 'binary', maxLength: 12 })) }),
  fc.record({ kind: fc.constant('pad'), bytes: fc.constantFrom(100_000, 999_000, 1_000_001, 1_500_000) }),
  fc.record({
    kind: fc.constant('attachments'),
    count: fc.constantFrom('0', '1', '2', '10', '11', '-1', '99999999999', '1e3', 'a', ''),
    num: fc.constantFrom('0', '1', '5', '-1', '1e9', '"0"', 'null', '[]'),
  }),
);

const packetPlan = fc.record({
  base: fc.nat(),
  foreign: fc.nat(9).map((n) => n === 0), // one packet in ten comes from another generation's corpus
  mutations: fc.array(mutation, { maxLength: 3 }),
  binary: fc.nat(7).map((n) => n === 0),
});

/** One fuzz case; `fc.sample(fuzzCase, { seed, numRuns })` gives a reproducible batch. */
export const fuzzCase = fc.record({
  generation: fc.constantFrom(...GENERATIONS),
  transport: fc.constantFrom('websocket', 'websocket', 'polling', 'polling', 'jsonp', 'upgrade'),
  namespaces: fc.subarray(['/chat', '/cls']),
  packets: fc.array(packetPlan, { minLength: 1, maxLength: 8 }),
  bodyMutations: fc.array(mutation, { maxLength: 2 }),
  octet: fc.boolean(),
  jsonpIndex: fc.constantFrom('0', '1', '42', '-1', 'a', '1);alert(1', '99999999999999999999'),
  sid: fc.constantFrom('own', 'own', 'own', 'own', 'own', 'random', 'stale', 'cross'),
  ending: fc.constantFrom('close', 'abandon', 'wait', 'double-get'),
});

const at = (s, n) => (s.length === 0 ? 0 : n % (s.length + 1));

/** Applies one mutation to a packet of `generation`. */
export function mutate(packet, m, generation) {
  switch (m.kind) {
    case 'flip': {
      if (packet.length === 0) return packet;
      const i = m.at % packet.length;
      return packet.slice(0, i) + String.fromCharCode(packet.charCodeAt(i) ^ (1 << m.bit)) + packet.slice(i + 1);
    }
    case 'truncate':
      return packet.slice(0, at(packet, m.at));
    case 'duplicate': {
      const i = at(packet, m.at);
      return packet.slice(0, i) + packet.slice(i, i + m.length).repeat(m.times) + packet.slice(i);
    }
    case 'splice': {
      const other = EVERY_PACKET[m.other % EVERY_PACKET.length];
      return packet.slice(0, at(packet, m.at)) + other.slice(at(other, m.from));
    }
    case 'huge': {
      let n = 0;
      return packet.replace(/\d+/g, (d) => (n++ === m.nth ? m.digits : d));
    }
    case 'nest': {
      const [open, close] = m.object ? ['{"a":', '}'] : ['[', ']'];
      const value = open.repeat(m.depth) + '1' + close.repeat(m.depth);
      if (generation === '0.9') return `5:1+::{"name":"echo","args":[${value}]}`;
      return `421["echo",${value}]`;
    }
    case 'insert': {
      const i = at(packet, m.at);
      return packet.slice(0, i) + m.text + packet.slice(i);
    }
    case 'pad':
      return packet + 'x'.repeat(Math.max(0, m.bytes - packet.length));
    case 'attachments':
      return `45${m.count}-["echo",{"_placeholder":true,"num":${m.num}}]`;
    default:
      return packet;
  }
}

/** The packets of a case, mutated, as strings (a `binary` one is later sent as a binary frame). */
export function casePackets(c) {
  return c.packets.map((plan) => {
    const pool = plan.foreign ? EVERY_PACKET : CORPUS[c.generation];
    let packet = pool[plan.base % pool.length];
    for (const m of plan.mutations) packet = mutate(packet, m, c.generation);
    return { text: packet, binary: plan.binary };
  });
}
