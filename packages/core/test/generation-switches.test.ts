// The switches that turn a client generation off: `protocol09: false` refuses socket.io-client 0.9
// (its handshake under /socket.io/1/), `allowEIO3: false` refuses socket.io-client 2.x and `allowEIO4: false`
// socket.io-client 3.x/4.x (Engine.IO error code 5); either way the other generations still connect.
import { describe, expect, it } from 'vitest';
import { eventOf, useLegacy } from './legacy-helpers.js';
import { once, rawRequest, useSio } from './sio-helpers.js';
import { useV2Clients } from './sio2-helpers.js';

const { start } = useLegacy();
const sio = useSio();
const v2 = useV2Clients();

describe('protocol09: false', () => {
  it('refuses the 0.9 handshake, the official 0.9 client included', async () => {
    const h = await start({ protocol09: false });
    const handshake = await rawRequest(`${h.url}/socket.io/1/?t=1`);
    expect(handshake.status).toBe(400);
    expect(handshake.body.toString()).not.toMatch(/^[\w-]+:\d*:\d*:/);
    const client = h.client('/', 'xhr-polling');
    await eventOf(client, 'error');
    expect(client.socket.connected).toBe(false);
    expect(h.io.legacyEngine).toBeUndefined();
  });

  it('still serves 4.x and 2.x clients', async () => {
    const h = await start({ protocol09: false });
    const modern = await h.sio.connect('/', { transports: ['polling', 'websocket'] });
    expect(modern.io.engine.transport.name).toBe('websocket');
    const middle = await v2.connect(h.url, { transports: ['polling'] });
    expect(middle.connected).toBe(true);
    expect(h.io.sockets.sockets.size).toBe(2);
  });
});

describe('allowEIO3: false', () => {
  it('refuses 2.x clients with code 5', async () => {
    const h = await sio.start({ allowEIO3: false });
    const handshake = await rawRequest(`${h.url}/socket.io/?EIO=3&transport=polling`);
    expect(handshake.status).toBe(400);
    expect(JSON.parse(handshake.body.toString())).toMatchObject({ code: 5 });
    for (const transports of [['polling'], ['websocket']]) {
      const client = v2.client(h.url, { transports });
      await once(client, 'connect_error');
    }
    expect(h.io.engine.sessionCount).toBe(0);
  });

  it('still serves 0.9 and 4.x clients', async () => {
    const h = await start({ allowEIO3: false });
    const old = await h.connect('/', 'xhr-polling');
    expect(old.socket.connected).toBe(true);
    const modern = await h.sio.connect('/', { transports: ['polling', 'websocket'] });
    expect(modern.io.engine.transport.name).toBe('websocket');
    expect(h.io.sockets.sockets.size).toBe(2);
  });
});

describe('allowEIO4: false', () => {
  it('refuses 3.x/4.x clients with code 5 and still serves 2.x and 0.9 clients', async () => {
    const h = await start({ allowEIO4: false });
    const handshake = await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(400);
    expect(JSON.parse(handshake.body.toString())).toMatchObject({ code: 5 });
    for (const transports of [['polling'], ['websocket']] as const) {
      const modern = h.sio.client('/', { transports: [...transports] });
      await once(modern, 'connect_error');
    }
    expect(h.io.engine.sessionCount).toBe(0);
    const middle = await v2.connect(h.url, { transports: ['polling', 'websocket'] });
    expect(middle.io.engine.transport.name).toBe('websocket');
    const old = await h.connect('/', 'websocket');
    expect(old.socket.connected).toBe(true);
    expect(h.io.sockets.sockets.size).toBe(2);
  });
});
