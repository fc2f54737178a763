// Every testapp behaviour (see testapp.test.mjs) driven by socket.io-client@2.5.0, the Engine.IO v3 /
// Socket.IO v4 generation, over websocket, polling and polling→websocket.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { once, sleep, startTestApp } from './helpers.mjs';
import { ack, connectedV2, V2_TRANSPORT_PATHS, v2Clients } from './helpers-v2.mjs';

describe.each(V2_TRANSPORT_PATHS)('testapp with socket.io-client@2 over $name', ({ options, finalTransport }) => {
  let app;
  let clients;
  beforeEach(async () => {
    app = await startTestApp();
    clients = v2Clients(app.url);
  });
  afterEach(async () => {
    clients.closeAll();
    await app.stop();
  });

  const open = async (nsp = '/', extra = {}) => connectedV2(clients.client(nsp, { ...options, ...extra }), finalTransport);

  it('ends up on the expected transport, as an Engine.IO v3 session', async () => {
    const socket = await open();
    expect(socket.io.engine.transport.name).toBe(finalTransport);
    expect(app.io.engine.sessions.get(socket.io.engine.id)?.protocol).toBe(3);
  });

  it('echo acknowledges with its arguments', async () => {
    const socket = await open();
    expect(await ack(socket, 'echo', 'a', 1, { b: [true, null] })).toEqual(['a', 1, { b: [true, null] }]);
  });

  it('echo-event comes back as an event', async () => {
    const socket = await open();
    const back = once(socket, 'echo-event');
    socket.emit('echo-event', 'hello', { n: 42 });
    expect(await back).toEqual(['hello', { n: 42 }]);
  });

  it('say reaches the others in the room, not the sender nor outsiders', async () => {
    const [alice, bob, carol] = await Promise.all([open(), open(), open()]);
    expect(await ack(alice, 'join', 'r1')).toEqual([true]);
    expect(await ack(bob, 'join', 'r1')).toEqual([true]);
    const heard = [];
    for (const [name, socket] of [['alice', alice], ['bob', bob], ['carol', carol]]) {
      socket.on('said', (msg) => heard.push([name, msg]));
    }
    alice.emit('say', 'r1', 'hi room');
    await once(bob, 'said');
    await sleep(100);
    expect(heard).toEqual([['bob', 'hi room']]);
    expect(await ack(bob, 'leave', 'r1')).toEqual([true]);
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
    expect(await ack(socket, 'ask', 'life')).toEqual(['answer to life']);
  });

  it('binary round-trips byte for byte', async () => {
    const socket = await open();
    const bytes = Buffer.from(Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
    const [back] = await ack(socket, 'binary', bytes);
    expect(Buffer.from(back).equals(bytes)).toBe(true);
  });

  it('/chat allows only login until a name is given', async () => {
    const chat = await open('/chat');
    const denied = once(chat, 'error');
    chat.emit('secret', () => {});
    expect(await denied).toEqual(['method_access_denied', 'You do not have access to method "onSecret"']);
    expect(await ack(chat, 'login', '')).toEqual([false]);
    expect(await ack(chat, 'login', 42)).toEqual([false]);
    expect(await ack(chat, 'login', 'ada')).toEqual([true]);
    expect(await ack(chat, 'secret')).toEqual(['ok']);
  });

  it('/chat reports unknown methods and bad event names without dropping the socket', async () => {
    const chat = await open('/chat');
    await ack(chat, 'login', 'ada');
    const missing = once(chat, 'error');
    chat.emit('no_such_thing');
    expect(await missing).toEqual(['no_such_method', 'The method "onNoSuchThing" was not found']);
    const bad = once(chat, 'error');
    chat.emit('weird.name!');
    const [name] = await bad;
    expect(name).toBe('unallowed_event_name');
    expect(await ack(chat, 'secret')).toEqual(['ok']);
  });

  it("/jobs ticks, and a disconnected socket's job stops", async () => {
    const watcher = await open('/jobs');
    const jobs = await open('/jobs');
    const [first] = await once(jobs, 'tick');
    const [second] = await once(jobs, 'tick');
    expect(second).toBe(first + 1);
    expect(await ack(watcher, 'count')).toEqual([2]);
    jobs.disconnect();
    let count = 2;
    for (let i = 0; i < 50 && count !== 1; i++) {
      await sleep(20);
      [count] = await ack(watcher, 'count');
    }
    expect(count).toBe(1);
  });

  it('/admin refuses a bad token (the error event, as 2.x sees it) and accepts "secret" from the query', async () => {
    const intruder = clients.client('/admin', { ...options, query: { token: 'guess' } });
    expect(await once(intruder, 'error')).toEqual(['unauthorized']);
    const admin = await open('/admin', { query: { token: 'secret' } });
    expect(admin.id).toBe(`/admin#${admin.io.engine.id}`);
    expect(await ack(admin, 'whoami')).toEqual([admin.id]);
  });
});
