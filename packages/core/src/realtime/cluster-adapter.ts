import { randomBytes } from 'node:crypto';
import type { SocketPacket } from '../protocol/socket-packet.js';
import { Adapter, type AdapterNamespace, type BroadcastFlags, type BroadcastOptions, type Room, type SocketDetails } from './adapter.js';
import { ClusterAckRequests } from './cluster-ack-requests.js';
import { ClusterRequests, newRequestId } from './cluster-requests.js';

/** Rooms and flags as they travel between nodes (sets become arrays). */
export interface WireBroadcastOptions {
  rooms: Room[];
  except: Room[];
  flags: BroadcastFlags;
}

/** Every message nodes of a cluster exchange, per namespace. */
export type ClusterMessage = { uid: string; nsp: string } & (
  | { type: 'HEARTBEAT' | 'INITIAL_HEARTBEAT' | 'CLOSE' }
  | { type: 'BROADCAST'; packet: SocketPacket; opts: WireBroadcastOptions; requestId?: string }
  | { type: 'BROADCAST_CLIENT_COUNT'; requestId: string; clientCount: number }
  | { type: 'BROADCAST_ACK'; requestId: string; args: unknown[] }
  | { type: 'SOCKETS_JOIN' | 'SOCKETS_LEAVE'; opts: WireBroadcastOptions; rooms: Room[] }
  | { type: 'DISCONNECT_SOCKETS'; opts: WireBroadcastOptions; close: boolean }
  | { type: 'FETCH_SOCKETS'; opts: WireBroadcastOptions; requestId: string }
  | { type: 'FETCH_SOCKETS_RESPONSE'; requestId: string; sockets: SocketDetails[] }
  | { type: 'SERVER_SIDE_EMIT'; args: unknown[]; requestId?: string }
  | { type: 'SERVER_SIDE_EMIT_RESPONSE'; requestId: string; response: unknown }
);

/** A message without the envelope the adapter adds itself. */
export type ClusterMessageBody = ClusterMessage extends infer M ? (M extends ClusterMessage ? Omit<M, 'uid' | 'nsp'> : never) : never;

export interface ClusterAdapterOptions {
  /** Milliseconds between two heartbeats. Default 5000. */
  heartbeatInterval?: number;
  /** A node silent this long is considered gone. Default 10000. */
  heartbeatTimeout?: number;
  /** Milliseconds to wait for the other nodes' answers (fetchSockets, serverSideEmitWithAck, inspectCluster). Default 5000. */
  requestTimeout?: number;
}

/**
 * An adapter that carries every operation to the other nodes of a cluster. Subclasses only say how a
 * message reaches the other nodes (`publish`) and hand every message they receive to `onMessage`;
 * rooms, broadcasts (with and without acks), fetchSockets, socketsJoin/Leave, disconnectSockets and
 * serverSideEmit all work on top of that. Nodes find each other through heartbeats.
 */
export abstract class ClusterAdapter extends Adapter {
  /** This node's id. */
  readonly uid = randomBytes(8).toString('hex');
  readonly #options: Required<ClusterAdapterOptions>;
  readonly #nodes = new Map<string, number>();
  readonly #requests = new ClusterRequests();
  readonly #ackRequests = new ClusterAckRequests();
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(nsp: AdapterNamespace, options: ClusterAdapterOptions = {}) {
    super(nsp);
    this.#options = {
      heartbeatInterval: options.heartbeatInterval ?? 5000,
      heartbeatTimeout: options.heartbeatTimeout ?? 10_000,
      requestTimeout: options.requestTimeout ?? 5000,
    };
  }

  /** Sends a message to every other node (for this namespace). */
  protected abstract publish(message: ClusterMessage): void | Promise<void>;

  /** Sends an answer to one node. Default: publish to all, the others ignore it. */
  protected publishResponse(_targetUid: string, message: ClusterMessage): void | Promise<void> {
    return this.publish(message);
  }

  override init(): Promise<void> | void {
    this.#send({ type: 'INITIAL_HEARTBEAT' });
    this.#heartbeat = setInterval(() => {
      this.#send({ type: 'HEARTBEAT' });
      const deadline = Date.now() - this.#options.heartbeatTimeout;
      for (const [uid, seen] of this.#nodes) if (seen < deadline) this.#nodes.delete(uid);
    }, this.#options.heartbeatInterval);
    this.#heartbeat.unref();
  }

  override close(): Promise<void> | void {
    void super.close();
    clearInterval(this.#heartbeat);
    this.#requests.close();
    this.#ackRequests.close();
    this.#send({ type: 'CLOSE' });
  }

  override serverCount(): Promise<number> {
    return Promise.resolve(this.#nodes.size + 1);
  }

  override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    if (opts.flags.local !== true) this.#send({ type: 'BROADCAST', packet, opts: toWire(opts) });
    super.broadcast(packet, opts);
  }

  override broadcastWithAck(
    packet: SocketPacket,
    opts: BroadcastOptions,
    onCount: (clients: number) => void,
    onAck: (args: unknown[]) => void,
  ): void {
    if (opts.flags.local !== true) {
      const requestId = newRequestId();
      this.#ackRequests.add(requestId, opts.flags.timeout ?? this.#options.requestTimeout, onCount, onAck);
      this.#send({ type: 'BROADCAST', packet, opts: toWire(opts), requestId });
    }
    super.broadcastWithAck(packet, opts, onCount, onAck);
  }

  override addSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    if (opts.flags.local !== true) this.#send({ type: 'SOCKETS_JOIN', opts: toWire(opts), rooms: [...rooms] });
    super.addSockets(opts, rooms);
  }

  override delSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    if (opts.flags.local !== true) this.#send({ type: 'SOCKETS_LEAVE', opts: toWire(opts), rooms: [...rooms] });
    super.delSockets(opts, rooms);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    if (opts.flags.local !== true) this.#send({ type: 'DISCONNECT_SOCKETS', opts: toWire(opts), close });
    super.disconnectSockets(opts, close);
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const local = await super.fetchSockets(opts);
    if (opts.flags.local === true || this.#nodes.size === 0) return local;
    const remote = await this.#request((requestId) => ({ type: 'FETCH_SOCKETS', opts: toWire(opts), requestId }), opts.flags.timeout);
    return local.concat(...(remote as SocketDetails[][]));
  }

  override serverSideEmit(args: unknown[]): void {
    this.#send({ type: 'SERVER_SIDE_EMIT', args });
  }

  override serverSideEmitWithAck(args: unknown[], timeout: number | undefined): Promise<unknown[]> {
    if (this.#nodes.size === 0) return Promise.resolve([]);
    return this.#request((requestId) => ({ type: 'SERVER_SIDE_EMIT', args, requestId }), timeout);
  }

  /** Hands a message from another node to this adapter. Messages from this node are ignored. */
  onMessage(message: ClusterMessage): void {
    if (message.uid === this.uid || message.nsp !== this.nsp.name) return;
    if (message.type !== 'CLOSE') this.#nodes.set(message.uid, Date.now());
    switch (message.type) {
      case 'INITIAL_HEARTBEAT':
        this.#send({ type: 'HEARTBEAT' });
        return;
      case 'HEARTBEAT':
        return;
      case 'CLOSE':
        this.#nodes.delete(message.uid);
        return;
      case 'BROADCAST': {
        const opts = fromWire(message.opts);
        const requestId = message.requestId;
        if (requestId === undefined) {
          super.broadcast(message.packet, opts);
          return;
        }
        super.broadcastWithAck(
          message.packet,
          opts,
          (clientCount) => this.#answer(message.uid, { type: 'BROADCAST_CLIENT_COUNT', requestId, clientCount }),
          (args) => this.#answer(message.uid, { type: 'BROADCAST_ACK', requestId, args }),
        );
        return;
      }
      case 'SOCKETS_JOIN':
        super.addSockets(fromWire(message.opts), message.rooms);
        return;
      case 'SOCKETS_LEAVE':
        super.delSockets(fromWire(message.opts), message.rooms);
        return;
      case 'DISCONNECT_SOCKETS':
        super.disconnectSockets(fromWire(message.opts), message.close);
        return;
      case 'FETCH_SOCKETS': {
        const requestId = message.requestId;
        void super.fetchSockets(fromWire(message.opts)).then((sockets) =>
          this.#answer(message.uid, { type: 'FETCH_SOCKETS_RESPONSE', requestId, sockets }),
        );
        return;
      }
      case 'SERVER_SIDE_EMIT': {
        const requestId = message.requestId;
        if (requestId === undefined) {
          this.nsp.onServerSideEmit(message.args);
          return;
        }
        let answered = false;
        this.nsp.onServerSideEmit(message.args, (response) => {
          if (answered) return;
          answered = true;
          this.#answer(message.uid, { type: 'SERVER_SIDE_EMIT_RESPONSE', requestId, response });
        });
        return;
      }
      case 'BROADCAST_CLIENT_COUNT':
        this.#ackRequests.count(message.requestId, message.clientCount);
        return;
      case 'BROADCAST_ACK':
        this.#ackRequests.ack(message.requestId, message.args);
        return;
      case 'FETCH_SOCKETS_RESPONSE':
        this.#requests.collect(message.requestId, message.sockets);
        return;
      case 'SERVER_SIDE_EMIT_RESPONSE':
        this.#requests.collect(message.requestId, message.response);
        return;
    }
  }

  #send(body: ClusterMessageBody): void {
    const message = { ...body, uid: this.uid, nsp: this.nsp.name } as ClusterMessage;
    void Promise.resolve(this.publish(message)).catch(noop);
  }

  #answer(target: string, body: ClusterMessageBody): void {
    const message = { ...body, uid: this.uid, nsp: this.nsp.name } as ClusterMessage;
    void Promise.resolve(this.publishResponse(target, message)).catch(noop);
  }

  #request(build: (requestId: string) => ClusterMessageBody, timeout: number | undefined): Promise<unknown[]> {
    const requestId = newRequestId();
    return this.#requests.wait(requestId, this.#nodes.size, timeout ?? this.#options.requestTimeout, () => this.#send(build(requestId)));
  }
}

function toWire(opts: BroadcastOptions): WireBroadcastOptions {
  return { rooms: [...opts.rooms], except: [...opts.except], flags: opts.flags };
}

function fromWire(opts: WireBroadcastOptions): BroadcastOptions {
  return { rooms: new Set(opts.rooms), except: new Set(opts.except), flags: opts.flags };
}

function noop(): void {}
