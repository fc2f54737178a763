// A cheap wire-level Socket.IO client for every generation, over websocket or polling, with no client
// library: a load or fuzz process can hold thousands of them.
//
//   const client = await WireClient.connect({ port, generation: 'eio3', transport: 'polling', namespaces: ['/', '/chat'],
//     onEvent: (nsp, name, args) => … });
//   client.send('/', 'hello', ['world']);
//   const ackArgs = await client.emitWithAck('/', 'echo', [1, 'two']);
//   client.on('close', (reason) => …);   // the server or the network ended it (not after close())
//   client.close();
//
// generation 'eio4': Engine.IO v4 + Socket.IO v5 (socket.io-client 3/4); the server pings, the client pongs.
// generation 'eio3': Engine.IO v3 + Socket.IO v4 (socket.io-client 2.x); the client pings every pingInterval.
// generation '0.9':  the 0.9 protocol (socket.io-client 0.9) over websocket or xhr-polling; the server
//                    sends heartbeats `2::`, the client answers them.
import { EventEmitter } from 'node:events';
import { decodeLegacyPacket, decodePayload, decodeSocketPacket, encodeLegacyPacket, encodeSocketPacket } from './wire-codec.mjs';
import { PollingLink, WebSocketLink, request } from './wire-links.mjs';

const ENGINE = { eio4: 4, eio3: 3 };

export class WireClient extends EventEmitter {
  /** 'eio4' | 'eio3' | '0.9' */
  generation;
  /** 'websocket' | 'polling' */
  transport;
  /** The engine session id. */
  sid = '';
  /** The server's ping interval (Engine.IO) or heartbeat timeout (0.9), in ms. */
  pingInterval = 0;
  /**
   * Heartbeats done: pings answered (v4, 0.9 persistent transports), pongs received (v3), or, on 0.9
   * xhr-polling, which has no heartbeat, the `8::` noop a held GET ends with when nothing else came.
   */
  heartbeats = 0;
  #link;
  #nextId = 1;
  #acks = new Map();
  #joined = new Set();
  #closed = false;
  #pinger;
  #namespaces = [];

  constructor(generation, transport) {
    super();
    this.generation = generation;
    this.transport = transport;
  }

  /**
   * Handshakes, opens the transport and joins every namespace of `namespaces` (default `['/']`); rejects
   * when that is not done within `timeoutMs`. `onEvent(nsp, name, args, ackId)` also sees the events the
   * server sends while the client joins (a listener added after `connect` resolves would miss them).
   */
  static async connect({ port, generation, transport, namespaces = ['/'], path = '/socket.io', timeoutMs = 10_000, onEvent }) {
    const client = new WireClient(generation, transport);
    if (onEvent !== undefined) client.on('event', onEvent);
    let timer;
    const late = new Promise((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${generation}/${transport} not connected within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([client.#open(port, path, namespaces), late]);
      return client;
    } catch (err) {
      client.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The link under the client: `sendRaw(frame)` on a websocket, `postRaw(body, headers)` and `path` on polling. */
  get link() {
    return this.#link;
  }

  get closed() {
    return this.#closed;
  }

  /** Sends an event without an acknowledgement. */
  send(nsp, name, args = []) {
    this.#sendEvent(nsp, name, args, undefined);
  }

  /** Sends an event asking for an acknowledgement; resolves with the ack's arguments. */
  emitWithAck(nsp, name, args = []) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new Error('client closed'));
      this.#acks.set(id, { resolve, reject });
      this.#sendEvent(nsp, name, args, id);
    });
  }

  /** Engine packets as they are (already encoded strings), through the transport's own framing. */
  sendPackets(packets) {
    this.#link?.send(packets);
  }

  /**
   * Ends the session politely (close packet), then drops the transport; resolves once the close packet is
   * sent (polling: posted). No 'close' event follows.
   */
  close() {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    clearInterval(this.#pinger);
    for (const { reject } of this.#acks.values()) reject(new Error('client closed'));
    this.#acks.clear();
    const link = this.#link;
    if (link === undefined) return Promise.resolve();
    const bye = this.generation === '0.9' ? '0::' : '1';
    link.send([bye]);
    // Polling: after what is queued, one POST at a time as the real clients do (overlapping POSTs are refused).
    const sent = this.transport === 'websocket' ? new Promise((resolve) => setTimeout(resolve, 50).unref()) : link.drained();
    return sent.finally(() => link.close());
  }

  /** Drops the transport without a close packet, as a vanished client would. No 'close' event follows. */
  abandon() {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#pinger);
    this.#link?.close();
    for (const { reject } of this.#acks.values()) reject(new Error('client abandoned'));
    this.#acks.clear();
  }

  #sendEvent(nsp, name, args, id) {
    if (this.generation === '0.9') {
      const data = JSON.stringify({ name, args });
      this.sendPackets([encodeLegacyPacket({ type: 5, id: id ?? '', ack: id !== undefined, nsp, data })]);
    } else {
      this.sendPackets(['4' + encodeSocketPacket({ type: 2, nsp, id, data: [name, ...args] })]);
    }
  }

  async #open(port, path, namespaces) {
    this.#namespaces = namespaces;
    const wanted = new Set(namespaces);
    const ready = new Promise((resolve, reject) => {
      this.on('_joined', (nsp) => (wanted.delete(nsp), wanted.size === 0 && resolve()));
      this.once('_refused', (why) => reject(new Error(`namespace refused: ${why}`)));
      this.once('_lost', (why) => reject(new Error(`closed while connecting: ${why}`)));
    });
    const early = this.generation === '0.9' ? await this.#openLegacy(port, path) : await this.#openEngine(port, path);
    this.#onPackets(early);
    this.#link.start((packets) => this.#onPackets(packets), (reason) => this.#lost(reason));
    await ready;
    this.removeAllListeners('_joined').removeAllListeners('_refused').removeAllListeners('_lost');
  }

  async #openEngine(port, path) {
    const eio = ENGINE[this.generation];
    const base = `${path}/?EIO=${eio}&transport=`;
    if (this.transport === 'websocket') {
      this.#link = new WebSocketLink(port, `${base}websocket`);
      await this.#link.opened;
      return [];
    }
    const res = await request(port, `${base}polling${eio === 3 ? '&b64=1' : ''}&t=${Date.now().toString(36)}`);
    if (res.status !== 200) throw new Error(`handshake answered ${res.status} ${res.body.slice(0, 80)}`);
    const packets = decodePayload(this.generation, res.body);
    const open = JSON.parse(packets[0].slice(1));
    this.#link = new PollingLink(port, `${base}polling${eio === 3 ? '&b64=1' : ''}&sid=${open.sid}`, this.generation);
    return packets;
  }

  async #openLegacy(port, path) {
    const res = await request(port, `${path}/1/?t=${Date.now()}`);
    if (res.status !== 200) throw new Error(`0.9 handshake answered ${res.status} ${res.body.slice(0, 80)}`);
    const [sid, heartbeat] = res.body.split(':');
    this.sid = sid;
    this.pingInterval = Number(heartbeat) * 1000;
    if (this.transport === 'websocket') {
      this.#link = new WebSocketLink(port, `${path}/1/websocket/${sid}`);
      await this.#link.opened;
    } else {
      this.#link = new PollingLink(port, `${path}/1/xhr-polling/${sid}`, '0.9');
    }
    return [];
  }

  #onPackets(packets) {
    for (const packet of packets) {
      if (typeof packet !== 'string') continue;
      if (this.generation === '0.9') this.#onLegacy(packet);
      else this.#onEngine(packet);
    }
  }

  #onEngine(packet) {
    switch (packet[0]) {
      case '0': {
        const open = JSON.parse(packet.slice(1));
        this.sid = open.sid;
        this.pingInterval = open.pingInterval;
        if (this.generation === 'eio4') this.sendPackets(this.#namespaces.map((nsp) => '4' + encodeSocketPacket({ type: 0, nsp })));
        else {
          this.sendPackets(this.#namespaces.filter((n) => n !== '/').map((nsp) => '4' + encodeSocketPacket({ type: 0, nsp })));
          this.#pinger = setInterval(() => this.sendPackets(['2']), open.pingInterval);
        }
        return;
      }
      case '2':
        if (this.generation === 'eio4') {
          this.heartbeats++;
          this.sendPackets(['3' + packet.slice(1)]);
        }
        return;
      case '3':
        if (this.generation === 'eio3') this.heartbeats++;
        return;
      case '1':
        return this.#lost('server closed the session');
      case '4':
        return this.#onSocket(decodeSocketPacket(packet.slice(1)), packet);
      default:
        return;
    }
  }

  #onSocket(p, raw) {
    if (p === null) return this.#lost(`undecodable packet ${raw.slice(0, 60)}`);
    if (p.type === 0) return this.#joinedNamespace(p.nsp);
    if (p.type === 4) return this.emit('_refused', raw.slice(0, 120));
    if (p.type === 1) return this.#lost(`server disconnected namespace ${p.nsp}`);
    if (p.type === 2 && Array.isArray(p.data)) return this.emit('event', p.nsp, p.data[0], p.data.slice(1), p.id);
    if (p.type === 3) return this.#settle(p.id, p.data);
  }

  #onLegacy(packet) {
    const p = decodeLegacyPacket(packet);
    if (p === null) return this.#lost(`undecodable 0.9 packet ${packet.slice(0, 60)}`);
    switch (p.type) {
      case 0:
        return this.#lost(`server disconnected ${p.nsp}`);
      case 1:
        if (p.nsp === '/') this.sendPackets(this.#namespaces.filter((n) => n !== '/').map((nsp) => encodeLegacyPacket({ type: 1, nsp })));
        return this.#joinedNamespace(p.nsp);
      case 2:
        this.heartbeats++;
        return this.sendPackets(['2::']);
      case 5: {
        const { name, args = [] } = JSON.parse(p.data);
        return this.emit('event', p.nsp, name, args, p.id === '' ? undefined : p.id);
      }
      case 6: {
        const plus = p.data.indexOf('+');
        const id = Number(plus < 0 ? p.data : p.data.slice(0, plus));
        return this.#settle(id, plus < 0 ? [] : JSON.parse(p.data.slice(plus + 1)));
      }
      case 7:
        return this.emit('_refused', packet.slice(0, 120));
      case 8:
        this.heartbeats++;
        return;
      default:
        return;
    }
  }

  #joinedNamespace(nsp) {
    if (this.#joined.has(nsp)) return;
    this.#joined.add(nsp);
    this.emit('_joined', nsp);
  }

  #settle(id, data) {
    const pending = this.#acks.get(id);
    if (pending === undefined) return;
    this.#acks.delete(id);
    pending.resolve(Array.isArray(data) ? data : [data]);
  }

  #lost(reason) {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#pinger);
    this.#link?.close();
    for (const { reject } of this.#acks.values()) reject(new Error(`connection lost: ${reason}`));
    this.#acks.clear();
    this.emit('_lost', reason);
    this.emit('close', reason);
  }
}
