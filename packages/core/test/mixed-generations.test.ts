// Three client generations in one room: socket.io-client 0.9.16 (the 0.9 protocol), 2.5.0 (Engine.IO v3 /
// Socket.IO v4) and 4.x (Engine.IO v4 / Socket.IO v5). Each gets every broadcast in its own wire format,
// encoded once per generation however many sockets of it are in the room.
import { io as connect4, type Socket as Client4 } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { BaseNamespace, type Socket } from '../src/index.js';
import { eventOf, useLegacy, type V09Socket, type V09Transport } from './legacy-helpers.js';
import { emitWithAckV2, useV2Clients, type V2Socket } from './sio2-helpers.js';
import { connected, once } from './sio-helpers.js';

const { start } = useLegacy();
const v2 = useV2Clients();

interface Mix {
  name: string;
  v09: V09Transport;
  v2: string[];
  v4: 'websocket' | 'polling';
}

const MIXES: readonly Mix[] = [
  { name: '0.9 xhr-polling, 2.x polling, 4.x websocket', v09: 'xhr-polling', v2: ['polling'], v4: 'websocket' },
  { name: '0.9 websocket, 2.x websocket, 4.x polling', v09: 'websocket', v2: ['websocket'], v4: 'polling' },
];

function emitWithAck09(socket: V09Socket, event: string, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve) => socket.emit(event, ...args, (...answer: unknown[]) => resolve(answer)));
}

describe.each(MIXES)('$name', (mix) => {
  async function roomOfSix(url: string, nsp: string, join: (generation: string, socket: unknown) => Promise<unknown>) {
    const old = [await legacy.connect(nsp, mix.v09), await legacy.connect(nsp, mix.v09)];
    const middle = [
      await v2.connect(url + nsp, { transports: mix.v2 }),
      await v2.connect(url + nsp, { transports: mix.v2 }),
    ];
    const modern: Client4[] = [];
    for (let i = 0; i < 2; i++) {
      const socket = connect4(url + nsp, { forceNew: true, reconnection: false, transports: [mix.v4] });
      modern4.push(socket);
      modern.push(await connected(socket, mix.v4));
    }
    for (const socket of old) await join('0.9', socket);
    for (const socket of middle) await join('2.x', socket);
    for (const socket of modern) await join('4.x', socket);
    return { old, middle, modern };
  }

  let legacy: Awaited<ReturnType<typeof start>>;
  let modern4: Client4[] = [];

  it('io.to(room).emit reaches every generation, encoded once per generation; broadcast acks come back from all', async () => {
    legacy = await start();
    modern4 = [];
    try {
      legacy.io.on('connection', (socket: Socket) => {
        socket.on('join', (room: string, ack: (ok: boolean) => void) => {
          socket.join(room);
          ack(true);
        });
        socket.on('whoami', (ack: (id: string) => void) => ack(socket.id));
      });
      const { old, middle, modern } = await roomOfSix(legacy.url, '/', async (generation, socket) => {
        if (generation === '0.9') return emitWithAck09(socket as V09Socket, 'join', 'lobby');
        if (generation === '2.x') return emitWithAckV2(socket as V2Socket, 'join', 'lobby');
        return (socket as Client4).emitWithAck('join', 'lobby');
      });
      expect(legacy.io.sockets.adapter.rooms.get('lobby')?.size).toBe(6);

      let encodings = 0;
      const counted = { toJSON: () => (encodings++, { text: 'hello' }) };
      // What one Socket.IO encoding costs (the binary check looks at the value too), with one recipient.
      await legacy.io.in(modern[0]!.id!).socketsJoin('alone');
      const alone = once(modern[0]!, 'news');
      legacy.io.to('alone').emit('news', counted, 7);
      await alone;
      const oneEncoding = encodings;
      expect(oneEncoding).toBeGreaterThan(0);
      encodings = 0;
      const got = Promise.all([
        ...old.map((socket) => eventOf(socket, 'news')),
        ...middle.map((socket) => once(socket, 'news')),
        ...modern.map((socket) => once(socket, 'news')),
      ]);
      legacy.io.to('lobby').emit('news', counted, 7);
      expect(await got).toEqual(Array.from({ length: 6 }, () => [{ text: 'hello' }, 7]));
      // One Socket.IO encoding shared by the four 2.x and 4.x sockets, one 0.9 encoding for both 0.9 sockets.
      expect(encodings).toBe(oneEncoding + 1);

      for (const socket of old) socket.on('poll', (q: string, ack: (a: string) => void) => ack(`0.9:${q}`));
      for (const socket of middle) socket.on('poll', (q: string, ack: (a: string) => void) => ack(`2.x:${q}`));
      for (const socket of modern) socket.on('poll', (q: string, ack: (a: string) => void) => ack(`4.x:${q}`));
      const answers = (await legacy.io.to('lobby').timeout(3000).emitWithAck('poll', 'q')) as string[];
      expect(answers.sort()).toEqual(['0.9:q', '0.9:q', '2.x:q', '2.x:q', '4.x:q', '4.x:q']);

      // Client-to-server acks from every generation, and except() that leaves one generation out.
      const [old0, middle0, modern0] = [old[0]!, middle[0]!, modern[0]!];
      const ids = [
        ...(await emitWithAck09(old0, 'whoami')),
        ...(await emitWithAckV2(middle0, 'whoami')),
        await modern0.emitWithAck('whoami'),
      ];
      expect(new Set(ids).size).toBe(3);
      for (const id of ids) legacy.io.sockets.sockets.get(id as string)?.join('picked');
      const picked = Promise.all([eventOf(old0, 'picked'), once(modern0, 'picked')]);
      const leftOut = once(middle0, 'picked', 300).then(
        () => 'received',
        () => 'not received',
      );
      legacy.io.to('picked').except(ids[1] as string).emit('picked', 'not 2.x');
      expect(await picked).toEqual([['not 2.x'], ['not 2.x']]);
      expect(await leftOut).toBe('not received');
    } finally {
      for (const socket of modern4) socket.disconnect();
    }
  });

  it('class namespaces: emitToRoom skips the sender, broadcastEvent reaches every generation', async () => {
    class Hall extends BaseNamespace {
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
    legacy = await start();
    modern4 = [];
    try {
      legacy.io.register('/hall', Hall);
      const { old, middle, modern } = await roomOfSix(legacy.url, '/hall', async (generation, socket) => {
        if (generation === '0.9') return emitWithAck09(socket as V09Socket, 'enter', 'r');
        if (generation === '2.x') return emitWithAckV2(socket as V2Socket, 'enter', 'r');
        return (socket as Client4).emitWithAck('enter', 'r');
      });
      const speaker = middle[0]!;
      const heard = Promise.all([
        ...old.map((socket) => eventOf(socket, 'spoken')),
        once(middle[1]!, 'spoken'),
        ...modern.map((socket) => once(socket, 'spoken')),
      ]);
      const selfHeard = once(speaker, 'spoken', 300).then(
        () => 'heard itself',
        () => 'skipped',
      );
      speaker.emit('speak', 'r', 'from 2.x');
      expect(await heard).toEqual(Array.from({ length: 5 }, () => ['from 2.x']));
      expect(await selfHeard).toBe('skipped');

      const announced = Promise.all([
        ...old.map((socket) => eventOf(socket, 'announced')),
        ...middle.map((socket) => once(socket, 'announced')),
        ...modern.map((socket) => once(socket, 'announced')),
      ]);
      old[0]!.emit('announce', 'from 0.9');
      expect(await announced).toEqual(Array.from({ length: 6 }, () => ['from 0.9']));

      // gevent-socketio's error events reach a 0.9 client as an `error` event.
      const denied = eventOf(old[0]!, 'error');
      old[0]!.emit('nothing_here');
      expect(await denied).toEqual(['no_such_method', 'The method "onNothingHere" was not found']);
    } finally {
      for (const socket of modern4) socket.disconnect();
    }
  });
});
