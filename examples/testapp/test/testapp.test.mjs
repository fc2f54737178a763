import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connected, once, sleep, startTestApp, TRANSPORT_PATHS } from './helpers.mjs';

describe.each(TRANSPORT_PATHS)('testapp with socket.io-client@4 over $name', ({ options, finalTransport }) => {
  let app;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    await app.stop();
  });

  const open = async (nsp = '/', extra = {}) => connected(app.client(nsp, { ...options, ...extra }), finalTransport);

  it('ends up on the expected transport', async () => {
    const socket = await open();
    expect(socket.io.engine.transport.name).toBe(finalTransport);
  });

  it('echo acknowledges with its arguments', async () => {
    const socket = await open();
    const answer = await socket.emitWithAck('echo', 'a', 1, { b: [true, null] });
    expect(answer).toBe('a');
    const all = await new Promise((resolve) => socket.emit('echo', 'x', 2, (...args) => resolve(args)));
    expect(all).toEqual(['x', 2]);
  });

  it('echo-event comes back as an event', async () => {
    const socket = await open();
    const back = once(socket, 'echo-event');
    socket.emit('echo-event', 'hello', { n: 42 });
    expect(await back).toEqual(['hello', { n: 42 }]);
  });

  it('say reaches the others in the room, not the sender nor outsiders', async () => {
    const [alice, bob, carol] = await Promise.all([open(), open(), open()]);
    expect(await alice.emitWithAck('join', 'r1')).toBe(true);
    expect(await bob.emitWithAck('join', 'r1')).toBe(true);
    const heard = [];
    for (const [name, socket] of [['alice', alice], ['bob', bob], ['carol', carol]]) {
      socket.on('said', (msg) => heard.push([name, msg]));
    }
    alice.emit('say', 'r1', 'hi room');
    await once(bob, 'said');
    await sleep(100);
    expect(heard).toEqual([['bob', 'hi room']]);
    expect(await bob.emitWithAck('leave', 'r1')).toBe(true);
    alice.emit('say', 'r1', 'anyone?');
    await sleep(150);
    expect(heard).toEqual([['bob', 'hi room']]);
  });

  it('shout reaches everyone, shout-not-me everyone but the sender', async () => {
    const [alice, bob] = await Promise.all([open(), open()]);
    const both = Promise.all([once(alice, 'shouted'), once(bob, 'shouted')]);
    alice.emit('shout', 'loud');
    expect(await both).toEqual([['loud'], ['loud']]);
    let aliceHeard = false;
    alice.on('shouted', () => (aliceHeard = true));
    const bobHears = once(bob, 'shouted');
    alice.emit('shout-not-me', 'quiet');
    expect(await bobHears).toEqual(['quiet']);
    await sleep(100);
    expect(aliceHeard).toBe(false);
  });

  it('ask: the server asks back with an ack and relays the answer', async () => {
    const socket = await open();
    socket.on('question', (question, reply) => reply(`answer to ${question}`));
    expect(await socket.emitWithAck('ask', 'life')).toBe('answer to life');
  });

  it('binary round-trips byte for byte', async () => {
    const socket = await open();
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
    const back = await socket.emitWithAck('binary', bytes);
    expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
  });

  it('/chat allows only login until a name is given', async () => {
    const chat = await open('/chat');
    const denied = once(chat, 'error');
    chat.emit('secret', () => {});
    expect(await denied).toEqual(['method_access_denied', 'You do not have access to method "onSecret"']);
    expect(await chat.emitWithAck('login', '')).toBe(false);
    expect(await chat.emitWithAck('login', 42)).toBe(false);
    expect(await chat.emitWithAck('login', 'ada')).toBe(true);
    expect(await chat.emitWithAck('secret')).toBe('ok');
  });

  it('/chat reports unknown methods and bad event names without dropping the socket', async () => {
    const chat = await open('/chat');
    await chat.emitWithAck('login', 'ada');
    const missing = once(chat, 'error');
    chat.emit('no_such_thing');
    expect(await missing).toEqual(['no_such_method', 'The method "onNoSuchThing" was not found']);
    const bad = once(chat, 'error');
    chat.emit('weird.name!');
    const [name] = await bad;
    expect(name).toBe('unallowed_event_name');
    expect(await chat.emitWithAck('secret')).toBe('ok');
  });

  it('/jobs ticks, and a disconnected socket\'s job stops', async () => {
    const watcher = await open('/jobs');
    const jobs = await open('/jobs');
    const [first] = await once(jobs, 'tick');
    const [second] = await once(jobs, 'tick');
    expect(second).toBe(first + 1);
    expect(await watcher.emitWithAck('count')).toBe(2);
    jobs.disconnect();
    let count = 2;
    for (let i = 0; i < 50 && count !== 1; i++) {
      await sleep(20);
      count = await watcher.emitWithAck('count');
    }
    expect(count).toBe(1);
  });

  it('/admin refuses a bad token with connect_error "unauthorized" and accepts "secret"', async () => {
    const intruder = app.client('/admin', { ...options, auth: { token: 'guess' } });
    const [err] = await once(intruder, 'connect_error');
    expect(err.message).toBe('unauthorized');
    const admin = await open('/admin', { auth: { token: 'secret' } });
    expect(await admin.emitWithAck('whoami')).toBe(admin.id);
  });
});
