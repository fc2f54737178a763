// Every behaviour of the test application, written once. Each runs against a client-side face
// (support/test-client.mjs) that every generation — socket.io-client 4.x, 2.5.0 and 0.9.16, in Node or
// in Chromium — provides, so a row here is checked for each generation on each of its transports.
// A generation that cannot have a behaviour names it in `skip`, with the reason, and the test shows as
// skipped with that reason.
import { until } from '@switchyard/testing';
import { expect, it } from 'vitest';
import { next, sleep } from './support/client-ops.mjs';

/** The server-side socket of `client` in namespace `nsp`. */
function serverSocket(app, nsp, client) {
  const socket = [...app.io.of(nsp).sockets.values()].find((s) => s.conn.id === client.sessionId);
  expect(socket, `a socket in ${nsp} for session ${client.sessionId}`).toBeDefined();
  return socket;
}

const BYTES = Buffer.from(Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256));

/** `run({ app, connect, refused, generation, transport })`; `skip` maps a generation's key to why it cannot. */
export const BEHAVIOURS = [
  {
    name: 'ends up on its transport, as its own protocol generation on the server',
    async run({ app, connect, generation, transport }) {
      const client = await connect();
      expect(await client.transport()).toBe(transport.final);
      const socket = serverSocket(app, '/', client);
      expect(socket.conn.protocol).toBe(generation.protocol);
      // The client counts itself upgraded once it has sent the upgrade packet: let that packet arrive.
      await until(() => socket.conn.transport.name === transport.final, `on ${transport.final} on the server`);
      if (transport.request !== undefined) expect(socket.conn.request.url).toMatch(transport.request);
    },
  },
  {
    name: 'echo acknowledges with all its arguments',
    async run({ connect }) {
      const client = await connect();
      expect(await client.emitWithAck('echo', 'a', 1, { b: [true, null] })).toEqual(['a', 1, { b: [true, null] }]);
    },
  },
  {
    name: "emitWithAck's promise resolves with the acknowledgement's first argument",
    skip: { '2.x': 'socket.io-client 2 has no emitWithAck (acks are callbacks only)', '0.9': 'socket.io-client 0.9 has no emitWithAck (acks are callbacks only)' },
    async run({ connect }) {
      const client = await connect();
      expect(await client.promiseAck('echo', 'a', 1, { b: [true, null] })).toBe('a');
    },
  },
  {
    name: 'echo-event comes back as an event',
    async run({ connect }) {
      const client = await connect();
      const back = client.next('echo-event');
      client.emit('echo-event', 'hello', { n: 42 });
      expect(await back).toEqual(['hello', { n: 42 }]);
    },
  },
  {
    name: 'say reaches the others in the room, not the sender nor outsiders, and not after leave',
    async run({ connect }) {
      const [alice, bob, carol] = await Promise.all([connect(), connect(), connect()]);
      expect(await alice.emitWithAck('join', 'r1')).toEqual([true]);
      expect(await bob.emitWithAck('join', 'r1')).toEqual([true]);
      const heard = [];
      for (const [name, client] of [['alice', alice], ['bob', bob], ['carol', carol]]) {
        await client.on('said', (msg) => heard.push([name, msg]));
      }
      const bobHears = bob.next('said');
      alice.emit('say', 'r1', 'hi room');
      await bobHears;
      await sleep(100);
      expect(heard).toEqual([['bob', 'hi room']]);
      expect(await bob.emitWithAck('leave', 'r1')).toEqual([true]);
      alice.emit('say', 'r1', 'anyone?');
      await sleep(150);
      expect(heard).toEqual([['bob', 'hi room']]);
    },
  },
  {
    name: 'shout reaches everyone, shout-not-me everyone but the sender',
    async run({ connect }) {
      const [alice, bob] = await Promise.all([connect(), connect()]);
      const both = Promise.all([alice.next('shouted'), bob.next('shouted')]);
      alice.emit('shout', 'loud');
      expect(await both).toEqual([['loud'], ['loud']]);
      let aliceHeard = false;
      await alice.on('shouted', () => (aliceHeard = true));
      const bobHears = bob.next('shouted');
      alice.emit('shout-not-me', 'quiet');
      expect(await bobHears).toEqual(['quiet']);
      await sleep(100);
      expect(aliceHeard).toBe(false);
    },
  },
  {
    name: 'ask: the server asks back with an ack and relays the answer',
    async run({ connect }) {
      const client = await connect();
      await client.on('question', (question, reply) => reply(`answer to ${question}`));
      expect(await client.emitWithAck('ask', 'life')).toEqual(['answer to life']);
    },
  },
  {
    name: 'binary round-trips byte for byte',
    skip: { '0.9': 'the 0.9 protocol has no binary type (a Buffer travels as its JSON form)' },
    async run({ connect }) {
      const client = await connect();
      const [back] = await client.emitWithAck('binary', BYTES);
      expect(Buffer.from(back).equals(BYTES)).toBe(true);
    },
  },
  {
    name: '/chat allows only login until a name is given',
    async run({ connect }) {
      const chat = await connect('/chat');
      const denied = chat.next('error');
      chat.emit('secret');
      expect(await denied).toEqual(['method_access_denied', 'You do not have access to method "onSecret"']);
      expect(await chat.emitWithAck('login', '')).toEqual([false]);
      expect(await chat.emitWithAck('login', 42)).toEqual([false]);
      expect(await chat.emitWithAck('login', 'ada')).toEqual([true]);
      expect(await chat.emitWithAck('secret')).toEqual(['ok']);
    },
  },
  {
    name: '/chat reports unknown methods and bad event names without dropping the socket',
    async run({ connect }) {
      const chat = await connect('/chat');
      await chat.emitWithAck('login', 'ada');
      const missing = chat.next('error');
      chat.emit('no_such_thing');
      expect(await missing).toEqual(['no_such_method', 'The method "onNoSuchThing" was not found']);
      const bad = chat.next('error');
      chat.emit('weird.name!');
      expect((await bad)[0]).toBe('unallowed_event_name');
      expect(await chat.emitWithAck('secret')).toEqual(['ok']);
    },
  },
  {
    name: '/chat: a message sent by one client reaches onMessage and every client in /chat',
    async run({ connect }) {
      const [ada, bob] = await Promise.all([connect('/chat'), connect('/chat')]);
      expect(await ada.emitWithAck('login', 'ada')).toEqual([true]);
      expect(await bob.emitWithAck('login', 'bob')).toEqual([true]);
      const heard = Promise.all([ada.next('message'), bob.next('message')]);
      ada.send('hello all');
      expect(await heard).toEqual([[{ from: 'ada', text: 'hello all' }], [{ from: 'ada', text: 'hello all' }]]);
    },
  },
  {
    name: "/jobs ticks, and a disconnected socket's job stops",
    async run({ connect }) {
      const watcher = await connect('/jobs');
      const jobs = await connect('/jobs');
      const ticks = [];
      await jobs.on('tick', (n) => ticks.push(n));
      await until(() => ticks.length >= 2, 'two ticks');
      expect(ticks[1]).toBe(ticks[0] + 1);
      expect(await watcher.emitWithAck('count')).toEqual([2]);
      await jobs.disconnect();
      // A disconnect reaches the server in its own time: ask `/jobs` again until it counts one job.
      await until(async () => (await watcher.emitWithAck('count'))[0] === 1, '/jobs to count one job');
    },
  },
  {
    name: '/admin refuses a bad token with "unauthorized" and accepts "secret"',
    async run({ app, connect, refused }) {
      // 4.x sends `auth` in its CONNECT packet; 2.x puts it in the namespace's query, 0.9 in the
      // handshake's; each hears the refusal its own way (connect_error, error, connect_failed).
      expect(await refused('/admin', { auth: { token: 'guess' } })).toBe('unauthorized');
      const admin = await connect('/admin', { auth: { token: 'secret' } });
      const [id] = await admin.emitWithAck('whoami');
      expect(serverSocket(app, '/admin', admin).id).toBe(id);
      if (admin.id !== null) expect(id).toBe(admin.id);
    },
  },
  {
    name: 'disconnect: the server sees the client leave',
    async run({ app, connect }) {
      const client = await connect();
      const left = next(serverSocket(app, '/', client), 'disconnect');
      await client.disconnect();
      expect((await left)[0]).toBe('client namespace disconnect');
      expect(app.io.of('/').sockets.size).toBe(0);
    },
  },
];

/** Declares one test per behaviour for `generation`; `context()` gives the running test's app and clients. */
export function defineBehaviours(generation, context) {
  for (const behaviour of BEHAVIOURS) {
    const reason = behaviour.skip?.[generation.key];
    if (reason === undefined) it(behaviour.name, () => behaviour.run({ ...context(), generation }));
    else it.skip(`${behaviour.name} — skipped for ${generation.key}: ${reason}`, () => {});
  }
}
