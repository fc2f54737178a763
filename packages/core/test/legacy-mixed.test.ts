// Several generations in one room: a 0.9 client and a 4.x client get the same broadcasts, each in its
// own wire format, encoded once per generation; acks and class namespaces work across them.
import { io as connect4, type Socket as Client4 } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BaseNamespace, Server, type Socket } from '../src/index.js';
import { eventOf, io09, useLegacy, V09_NODE_TRANSPORTS } from './legacy-helpers.js';
import { connected, once, until } from './sio-helpers.js';

const { start } = useLegacy();

function client4(url: string, nsp = '/'): Client4 {
  return connect4(url + nsp, { forceNew: true, reconnection: false, transports: ['websocket'] });
}

describe.each(V09_NODE_TRANSPORTS)('0.9 over %s next to socket.io-client 4.x', (transport) => {
  it('gets io.to(room).emit once per generation, and answers broadcast acks', async () => {
    const h = await start();
    h.io.on('connection', (socket: Socket) => socket.on('join', (room: string, ack: () => void) => {
      socket.join(room);
      ack();
    }));
    const old = await h.connect('/', transport);
    const other = await h.connect('/', transport);
    const modern = await connected(client4(h.url), 'websocket');
    try {
      for (const socket of [old, other]) await new Promise((resolve) => socket.emit('join', 'lobby', resolve));
      await modern.emitWithAck('join', 'lobby');
      await modern.emitWithAck('join', 'modern');
      let encodings = 0;
      const counted = { toJSON: () => (encodings++, 'payload') };
      h.io.to('modern').emit('news', counted);
      await once(modern, 'news');
      const modernOnly = encodings;
      encodings = 0;
      const got = Promise.all([eventOf(old, 'news'), eventOf(other, 'news'), once(modern, 'news')]);
      h.io.to('lobby').emit('news', counted);
      expect(await got).toEqual([['payload'], ['payload'], ['payload']]);
      // What the 4.x socket alone costs, plus one encoding shared by both 0.9 sockets.
      expect(encodings).toBe(modernOnly + 1);

      for (const socket of [old, other]) socket.on('poll', (q: string, ack: (a: string) => void) => ack(`old:${q}`));
      modern.on('poll', (q: string, ack: (a: string) => void) => ack(`new:${q}`));
      const answers = await h.io.to('lobby').timeout(3000).emitWithAck('poll', 'q');
      expect((answers as string[]).sort()).toEqual(['new:q', 'old:q', 'old:q']);
    } finally {
      modern.disconnect();
    }
  });

  it('shares class namespaces: emitToRoom, broadcastEvent and error events', async () => {
    class Room extends BaseNamespace {
      onEnter(room: string) {
        this.join(room);
        return true;
      }
      onSpeak(room: string, text: string) {
        this.emitToRoom(room, 'spoken', text);
      }
      onAnnounce(text: string) {
        this.broadcastEvent('announced', text);
      }
    }
    const h = await start();
    h.io.register('/room', Room);
    const main = await h.connect('/', transport);
    const old = main.socket.of('/room');
    await eventOf(old, 'connect');
    const modern = await connected(client4(h.url, '/room'), 'websocket');
    try {
      expect(await new Promise((resolve) => old.emit('enter', 'r', resolve))).toBe(true);
      expect(await modern.emitWithAck('enter', 'r')).toBe(true);
      const spoken = eventOf(old, 'spoken');
      modern.emit('speak', 'r', 'from 4.x');
      expect(await spoken).toEqual(['from 4.x']);
      const heard = once(modern, 'spoken');
      old.emit('speak', 'r', 'from 0.9');
      expect(await heard).toEqual(['from 0.9']);
      const both = Promise.all([eventOf(old, 'announced'), once(modern, 'announced')]);
      old.emit('announce', 'all');
      expect(await both).toEqual([['all'], ['all']]);
      const denied = eventOf(old, 'error');
      old.emit('nothing_here');
      expect(await denied).toEqual(['no_such_method', 'The method "onNothingHere" was not found']);
    } finally {
      modern.disconnect();
    }
    await until(() => h.io.of('/room').sockets.size === 1);
  });

  it("serves manage()'s classes and request object to a 0.9 client (gevent-socketio's socketio_manage)", async () => {
    class Whoami extends BaseNamespace {
      onWho() {
        return (this.request as { user: string }).user;
      }
    }
    const io = new Server({ serveClient: false });
    const http = createServer((req, res) => {
      if (!io.manage(req, res, { '/who': Whoami }, { user: 'ada' })) res.writeHead(404).end();
    });
    http.on('upgrade', (req, socket, head) => {
      if (!io.handleUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    io09.transports = [transport];
    const main = io09.connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { 'force new connection': true, reconnect: false });
    try {
      await eventOf(main, 'connect');
      const who = main.socket.of('/who');
      await eventOf(who, 'connect');
      expect(await new Promise((resolve) => who.emit('who', resolve))).toBe('ada');
      expect(await eventOf(main.socket.of('/other'), 'connect_failed')).toEqual(['unauthorized']);
    } finally {
      main.socket.options.reconnect = false;
      main.socket.disconnect();
      await io.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
