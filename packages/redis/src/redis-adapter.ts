import type {
  AdapterConstructor,
  AdapterNamespace,
  BroadcastOptions,
  RecoveryOptions,
  RestoredSession,
  Room,
  SessionStore,
  SocketId,
  SocketPacket,
} from '@switchyard/core';
import { isRecorded, SocketPacketType } from '@switchyard/core';
import { RedisSessionStore, UNLOGGED_OFFSET } from './redis-session-store.js';
import { RestoringSockets } from './restoring-sockets.js';
import { WireAdapter, type WireAdapterContext } from './wire-adapter.js';

export type RedisAdapterContext = WireAdapterContext;

/**
 * The adapter class for `new Server({ adapter })`: socket.io's Redis wire (WireAdapter), and connection
 * state recovery (core's rule) over a Redis stream shared by every node (RedisSessionStore). A logged
 * broadcast's offset travels in its options, where socket.io does not look; recovery is exactly-once
 * (see RestoringSockets).
 */
export function createRedisAdapter(context: RedisAdapterContext): AdapterConstructor {
  const { pubsub, key, requestTimeout, onError } = context;

  return class RedisAdapter extends WireAdapter {
    readonly #restoring = new RestoringSockets(Math.max(requestTimeout, 5000));

    constructor(nsp: AdapterNamespace) {
      super(nsp, context);
    }

    override close(): void {
      this.#restoring.clear();
      super.close();
    }

    override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
      const recovery = this.recovery;
      if (recovery === undefined) {
        super.broadcast(packet, opts);
        return;
      }
      recovery.record(packet, opts, (offset) => {
        this.publishBroadcast(packet, opts, offset);
        if (offset === undefined) this.broadcastLocal(packet, opts);
        else this.#deliverLogged(packet, opts, offset);
      });
    }

    protected override deliverRemote(packet: SocketPacket, opts: BroadcastOptions, offset: string | undefined): void {
      if (offset !== undefined && this.recovery !== undefined && isRecorded(packet, opts)) this.#deliverLogged(packet, opts, offset);
      else super.deliverRemote(packet, opts, offset);
    }

    /** A logged event: with its offset last, and never twice to a socket being restored. */
    #deliverLogged(packet: SocketPacket, opts: BroadcastOptions, offset: string): void {
      const data = [...(packet.data as unknown[]), offset];
      const skipped = offset === UNLOGGED_OFFSET ? [] : this.#restoring.skip(offset, data, opts, (id) => this.nsp.localSocket(id) !== undefined);
      const except = skipped.length === 0 ? opts.except : new Set([...opts.except, ...skipped]);
      super.deliverRemote({ ...packet, data }, { ...opts, except }, offset);
    }

    /** Offsets come from the shared log, never from this process alone. */
    protected override createSessionStore(recovery: RecoveryOptions): SessionStore {
      return new RedisSessionStore(pubsub.driver, `${key}-switchyard#${this.nsp.name}#`, recovery, onError);
    }

    override async restoreSession(pid: string, offset: string): Promise<RestoredSession | null> {
      const restored = await this.recovery?.restore(pid, offset);
      if (restored == null) return null;
      this.#restoring.add(restored.session.sid, restored.lastOffset, restored.session.rooms);
      return restored.session;
    }

    override addAll(id: SocketId, rooms: Iterable<Room>): void {
      super.addAll(id, rooms);
      // A restored socket is back in its rooms: after its CONNECT, what arrived for it meanwhile.
      const held = this.#restoring.takeHeld(id);
      if (held.length > 0) {
        setImmediate(() => {
          for (const data of held) super.deliverRemote({ type: SocketPacketType.EVENT, nsp: this.nsp.name, data }, { rooms: new Set([id]), except: new Set(), flags: {} }, undefined);
        });
      }
    }

  };
}
