import { randomBytes } from 'node:crypto';
import {
  Adapter,
  type AdapterNamespace,
  type BroadcastOptions,
  ClusterAckRequests,
  ClusterRequests,
  type Logger,
  newRequestId,
  type Room,
  type SocketDetails,
  type SocketId,
  type SocketPacket,
  SocketPacketType,
} from '@switchyard/core';
import type { RedisPubSub } from './redis-pubsub.js';
import {
  decodeBroadcast,
  decodeRequest,
  encodeJson,
  encodeMessage,
  fromWireOptions,
  RequestType,
  toWireOptions,
  type WireChannels,
  wireChannels,
  type WireRequest,
} from './socket-io-wire.js';

export interface WireAdapterContext {
  pubsub: RedisPubSub;
  /** Prefix of every channel and key (socket.io's `key`). */
  key: string;
  /** The wait for other nodes' answers. */
  requestTimeout: number;
  onError: (err: Error) => void;
  /** Told the logger of the Server each adapter serves (its namespace's), when it has one. */
  useLogger?: (logger: Logger) => void;
}

/**
 * An adapter speaking the wire of `@socket.io/redis-adapter`'s classic `createAdapter` (see
 * socket-io-wire.ts): socket.io nodes and `@socket.io/redis-emitter` share its channels. Each node
 * decodes a broadcast once and encodes its packet once, whatever its number of sockets.
 */
export class WireAdapter extends Adapter {
  /** This node's id in the namespace, as socket.io's adapter has one. */
  readonly uid = randomBytes(6).toString('base64url');
  protected readonly context: WireAdapterContext;
  readonly #channels: WireChannels;
  readonly #ownResponseChannel: string;
  readonly #subscribed: Promise<unknown>;
  readonly #requests = new ClusterRequests();
  readonly #ackRequests = new ClusterAckRequests();
  #closed = false;

  constructor(nsp: AdapterNamespace, context: WireAdapterContext) {
    super(nsp);
    this.context = context;
    if (nsp.logger !== undefined) context.useLogger?.(nsp.logger);
    const { pubsub, key } = context;
    this.#channels = wireChannels(key, nsp.name);
    this.#ownResponseChannel = `${this.#channels.response}${this.uid}#`;
    this.#subscribed = Promise.all([
      pubsub.subscribe(`${this.#channels.broadcast}*`, this.#onBroadcast, 'pattern'),
      pubsub.subscribe(this.#channels.request, this.#onRequest, 'classic'),
      pubsub.subscribe(this.#channels.response, this.#onResponse, 'classic'),
      pubsub.subscribe(this.#ownResponseChannel, this.#onResponse, 'classic'),
    ]);
  }

  override async init(): Promise<void> {
    // Counted by serverCount (and so by the other nodes) once subscribed.
    await this.#subscribed.catch(this.context.onError);
  }

  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void super.close();
    this.#requests.close();
    this.#ackRequests.close();
    const { pubsub } = this.context;
    pubsub.unsubscribe(`${this.#channels.broadcast}*`, this.#onBroadcast);
    pubsub.unsubscribe(this.#channels.request, this.#onRequest);
    pubsub.unsubscribe(this.#channels.response, this.#onResponse);
    pubsub.unsubscribe(this.#ownResponseChannel, this.#onResponse);
  }

  /** How many nodes (socket.io's included) serve this namespace: the listeners of its request channel. */
  override serverCount(): Promise<number> {
    return this.context.pubsub.channelListeners(this.#channels.request);
  }

  // ---- broadcasts ----

  override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    this.publishBroadcast(packet, opts);
    super.broadcast(packet, opts);
  }

  override broadcastWithAck(packet: SocketPacket, opts: BroadcastOptions, onCount: (clients: number) => void, onAck: (args: unknown[]) => void): void {
    if (opts.flags.local !== true) {
      const requestId = newRequestId();
      this.#ackRequests.add(requestId, opts.flags.timeout ?? this.context.requestTimeout, onCount, onAck);
      const request = { uid: this.uid, requestId, type: RequestType.BROADCAST, packet: { ...packet, nsp: this.nsp.name }, opts: toWireOptions(opts) };
      this.#publish(this.#channels.request, encodeMessage(request));
    }
    super.broadcastWithAck(packet, opts, onCount, onAck);
  }

  /** Sends a broadcast to the other nodes (not a local one); `offset` is its place in the recovery log. */
  protected publishBroadcast(packet: SocketPacket, opts: BroadcastOptions, offset?: string): void {
    if (opts.flags.local === true) return;
    // A broadcast to one room goes to that room's channel, as socket.io's adapter and emitter do.
    const channel = opts.rooms.size === 1 ? `${this.#channels.broadcast}${opts.rooms.values().next().value}#` : this.#channels.broadcast;
    this.#publish(channel, encodeMessage([this.uid, { ...packet, nsp: this.nsp.name }, toWireOptions(opts, offset)]));
  }

  /**
   * Delivers a broadcast from another node (or the emitter) to the local sockets, as it is: its place in
   * the recovery log, if any, was given where it was made (see RedisAdapter).
   */
  protected deliverRemote(packet: SocketPacket, opts: BroadcastOptions, _offset: string | undefined): void {
    this.broadcastLocal(packet, opts);
  }

  readonly #onBroadcast = (message: Buffer, channel: string): void => {
    if (this.#closed) return;
    const room = channel.slice(this.#channels.broadcast.length, -1);
    // A broadcast to one room this node has no socket in: nothing to do.
    if (room !== '' && !this.rooms.has(room)) return;
    const decoded = decodeBroadcast(message);
    if (decoded === undefined) return;
    const [uid, packet, wire] = decoded;
    if (uid === this.uid || (packet.nsp ?? '/') !== this.nsp.name) return;
    const local: SocketPacket = { type: packet.type, nsp: this.nsp.name, data: packet.data };
    this.deliverRemote(local, fromWireOptions(wire), typeof wire.offset === 'string' ? wire.offset : undefined);
  };

  // ---- requests to every node ----

  override addSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    if (opts.flags.local !== true) this.#request({ type: RequestType.REMOTE_JOIN, opts: toWireOptions(opts), rooms: [...rooms] });
    super.addSockets(opts, rooms);
  }

  override delSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    if (opts.flags.local !== true) this.#request({ type: RequestType.REMOTE_LEAVE, opts: toWireOptions(opts), rooms: [...rooms] });
    super.delSockets(opts, rooms);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    if (opts.flags.local !== true) this.#request({ type: RequestType.REMOTE_DISCONNECT, opts: toWireOptions(opts), close });
    super.disconnectSockets(opts, close);
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const local = await super.fetchSockets(opts);
    if (opts.flags.local === true) return local;
    const others = (await this.serverCount()) - 1;
    const requestId = newRequestId();
    const answers = await this.#requests.wait(requestId, others, opts.flags.timeout ?? this.context.requestTimeout, () =>
      this.#request({ type: RequestType.REMOTE_FETCH, requestId, opts: toWireOptions(opts) }),
    );
    return local.concat(...(answers as SocketDetails[][]));
  }

  override serverSideEmit(args: unknown[]): void {
    this.#request({ type: RequestType.SERVER_SIDE_EMIT, data: args });
  }

  override async serverSideEmitWithAck(args: unknown[], timeout: number | undefined): Promise<unknown[]> {
    const others = (await this.serverCount()) - 1;
    const requestId = newRequestId();
    return this.#requests.wait(requestId, others, timeout ?? this.context.requestTimeout, () =>
      this.#request({ type: RequestType.SERVER_SIDE_EMIT, requestId, data: args }),
    );
  }

  #request(body: WireRequest): void {
    this.#publish(this.#channels.request, encodeJson({ uid: this.uid, ...body }));
  }

  #respond(body: WireRequest, binary = false): void {
    // socket.io's adapter answers on the namespace's response channel, which every node hears.
    this.#publish(this.#channels.response, binary ? encodeMessage(body) : encodeJson(body));
  }

  readonly #onRequest = (message: Buffer): void => {
    if (this.#closed) return;
    const request = decodeRequest(message);
    // Our own requests were carried out here when they were made (the emitter's have no uid).
    if (request === undefined || request.uid === this.uid) return;
    const { requestId } = request;
    switch (request.type) {
      case RequestType.REMOTE_JOIN:
      case RequestType.REMOTE_LEAVE:
      case RequestType.REMOTE_DISCONNECT:
        return this.#onRoomRequest(request);
      case RequestType.REMOTE_FETCH:
        if (typeof requestId !== 'string') return;
        void super.fetchSockets(fromWireOptions(request.opts)).then((sockets) => this.#respond({ requestId, sockets }));
        return;
      case RequestType.ALL_ROOMS:
        if (typeof requestId === 'string') this.#respond({ type: RequestType.ALL_ROOMS, requestId, rooms: [...this.rooms.keys()] });
        return;
      case RequestType.SOCKETS:
        if (typeof requestId !== 'string') return;
        void super.sockets(new Set(fromWireOptions({ rooms: request.rooms ?? [], except: [] }).rooms)).then((ids) => this.#respond({ requestId, sockets: [...ids] }));
        return;
      case RequestType.SERVER_SIDE_EMIT:
        return this.#onServerSideEmit(request);
      case RequestType.BROADCAST:
        return this.#onBroadcastWithAck(request);
    }
  };

  #onRoomRequest(request: WireRequest): void {
    if (request.opts === undefined) return this.#onSocketRequest(request);
    const opts = fromWireOptions(request.opts);
    const rooms = fromWireOptions({ rooms: request.rooms ?? [], except: [] }).rooms;
    if (request.type === RequestType.REMOTE_JOIN) super.addSockets(opts, [...rooms]);
    else if (request.type === RequestType.REMOTE_LEAVE) super.delSockets(opts, [...rooms]);
    else super.disconnectSockets(opts, request.close === true);
  }

  /** socket.io's older form: one socket by id, answered once done. */
  #onSocketRequest(request: WireRequest): void {
    const socket = typeof request.sid === 'string' ? this.nsp.localSocket(request.sid as SocketId) : undefined;
    if (socket === undefined) return;
    if (request.type === RequestType.REMOTE_JOIN && typeof request.room === 'string') socket.join(request.room);
    else if (request.type === RequestType.REMOTE_LEAVE && typeof request.room === 'string') socket.leave(request.room);
    else if (request.type === RequestType.REMOTE_DISCONNECT) socket.disconnect(request.close === true);
    if (typeof request.requestId === 'string') this.#respond({ requestId: request.requestId } as WireRequest);
  }

  #onServerSideEmit(request: WireRequest): void {
    if (!Array.isArray(request.data)) return;
    const { requestId } = request;
    if (typeof requestId !== 'string') return this.nsp.onServerSideEmit(request.data);
    let answered = false;
    this.nsp.onServerSideEmit(request.data, (response) => {
      if (answered) return;
      answered = true;
      this.#respond({ type: RequestType.SERVER_SIDE_EMIT, requestId, data: response });
    });
  }

  #onBroadcastWithAck(request: WireRequest): void {
    const { requestId, packet } = request;
    if (typeof requestId !== 'string' || this.#ackRequests.has(requestId) || typeof packet !== 'object' || packet === null) return;
    const local: SocketPacket = { type: SocketPacketType.EVENT, nsp: this.nsp.name, data: (packet as SocketPacket).data };
    super.broadcastWithAck(
      local,
      fromWireOptions(request.opts),
      (clientCount) => this.#respond({ type: RequestType.BROADCAST_CLIENT_COUNT, requestId, clientCount }),
      (args) => this.#respond({ type: RequestType.BROADCAST_ACK, requestId, packet: args[0] }, true),
    );
  }

  readonly #onResponse = (message: Buffer): void => {
    if (this.#closed) return;
    const response = decodeRequest(message);
    const requestId = response?.requestId;
    if (response === undefined || typeof requestId !== 'string') return;
    // Each of these ignores an id it does not wait for: one lookup per response.
    switch (response.type) {
      case RequestType.BROADCAST_CLIENT_COUNT:
        return this.#ackRequests.count(requestId, Number(response.clientCount));
      case RequestType.BROADCAST_ACK:
        return this.#ackRequests.ack(requestId, [response.packet]);
      case RequestType.SERVER_SIDE_EMIT:
        return this.#requests.collect(requestId, response.data);
      default:
        if (Array.isArray(response.sockets)) this.#requests.collect(requestId, response.sockets);
    }
  };

  async #publish(channel: string, message: Buffer): Promise<void> {
    try {
      await this.context.pubsub.publishClassic(channel, message);
    } catch (err) {
      this.context.onError(err as Error);
    }
  }
}
