// testapp's behaviours for socket.io-client 0.9.16 (the 0.9 protocol), on the same handlers the 4.x
// clients use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sleep } from './helpers.mjs';
import { ask, next, startTestApp09, V09_TRANSPORTS } from './helpers-v09.mjs';

describe.each(V09_TRANSPORTS)('testapp with socket.io-client@0.9.16 over %s', (transport) => {
  let app;
  beforeEach(async () => {
    app = await startTestApp09();
  });
  afterEach(async () => {
    await app.stop();
  });

  const open = async (nsp = '/', query) => {
    const socket = app.client(nsp, transport, query);
    await next(socket, 'connect');
    return socket;
  };

  it('ends up on the transport it asked for', async () => {
    const socket = await open();
    expect(socket.socket.transport.name).toBe(transport);
  });

  it('echo acknowledges with its arguments', async () => {
    const socket = await open();
    expect(await ask(socket, 'echo', 'a', 1, { b: [true, null] })).toEqual(['a', 1, { b: [true, null] }]);
  });

  it('echo-event comes back as an event', async () => {
    const socket = await open();
    const back = next(socket, 'echo-event');
    socket.emit('echo-event', 'hello', { n: 42 });
    expect(await back).toEqual(['hello', { n: 42 }]);
  });

  it('say reaches the others in the room, not the sender nor outsiders', async () => {
    const [alice, bob, carol] = await Promise.all([open(), open(), open()]);
    expect(await ask(alice, 'join', 'r1')).toEqual([true]);
    expect(await ask(bob, 'join', 'r1')).toEqual([true]);
    const heard = [];
    for (const [name, socket] of [['alice', alice], ['bob', bob], ['carol', carol]]) {
      socket.on('said', (msg) => heard.push([name, msg]));
    }
    alice.emit('say', 'r1', 'hi room');
    await next(bob, 'said');
    await sleep(100);
    expect(heard).toEqual([['bob', 'hi room']]);
  });

  it('shout reaches everyone, shout-not-me everyone but the sender', async () => {
    const [alice, bob] = await Promise.all([open(), open()]);
    const both = Promise.all([next(alice, 'shouted'), next(bob, 'shouted')]);
    alice.emit('shout', 'loud');
    expect(await both).toEqual([['loud'], ['loud']]);
    let aliceHeard = false;
    alice.on('shouted', () => (aliceHeard = true));
    const bobHears = next(bob, 'shouted');
    alice.emit('shout-not-me', 'quiet');
    expect(await bobHears).toEqual(['quiet']);
    await sleep(100);
    expect(aliceHeard).toBe(false);
  });

  it('ask: the server asks back with an ack and relays the answer', async () => {
    const socket = await open();
    socket.on('question', (question, reply) => reply(`answer to ${question}`));
    expect(await ask(socket, 'ask', 'life')).toEqual(['answer to life']);
  });

  it('/chat allows only login until a name is given, with gevent-socketio error events', async () => {
    const main = await open();
    const chat = main.socket.of('/chat');
    await next(chat, 'connect');
    const denied = next(chat, 'error');
    chat.emit('secret', () => {});
    expect(await denied).toEqual(['method_access_denied', 'You do not have access to method "onSecret"']);
    expect(await ask(chat, 'login', '')).toEqual([false]);
    expect(await ask(chat, 'login', 'ada')).toEqual([true]);
    expect(await ask(chat, 'secret')).toEqual(['ok']);
    const missing = next(chat, 'error');
    chat.emit('no_such_thing');
    expect(await missing).toEqual(['no_such_method', 'The method "onNoSuchThing" was not found']);
    const bad = next(chat, 'error');
    chat.emit('weird.name!');
    expect((await bad)[0]).toBe('unallowed_event_name');
  });

  it('/chat message packets reach onMessage and are broadcast to the namespace', async () => {
    const main = await open();
    const chat = main.socket.of('/chat');
    await next(chat, 'connect');
    await ask(chat, 'login', 'ada');
    const broadcast = next(chat, 'message');
    chat.send('hello all');
    expect(await broadcast).toEqual([{ from: 'ada', text: 'hello all' }]);
  });

  it("/jobs ticks, and a disconnected socket's job stops", async () => {
    const watcher = (await open()).socket.of('/jobs');
    await next(watcher, 'connect');
    const jobs = (await open()).socket.of('/jobs');
    const [first] = await next(jobs, 'tick');
    const [second] = await next(jobs, 'tick');
    expect(second).toBe(first + 1);
    expect(await ask(watcher, 'count')).toEqual([2]);
    jobs.disconnect();
    let count = 2;
    for (let i = 0; i < 50 && count !== 1; i++) {
      await sleep(20);
      [count] = await ask(watcher, 'count');
    }
    expect(count).toBe(1);
  });

  it('/admin refuses a bad token (connect_failed) and accepts "secret" from the handshake query', async () => {
    const intruder = (await open('/', 'token=guess')).socket.of('/admin');
    expect(await next(intruder, 'connect_failed')).toEqual(['unauthorized']);
    const main = await open('/', 'token=secret');
    const admin = main.socket.of('/admin');
    await next(admin, 'connect');
    const [id] = await ask(admin, 'whoami');
    expect(app.io.of('/admin').sockets.has(id)).toBe(true);
  });
});
