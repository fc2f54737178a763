import type {
  AdapterConstructor,
  AdapterNamespace,
  BroadcastOptions,
  PersistedSession,
  RecoveryOptions,
  RestoredSession,
  Room,
  SocketId,
  SocketPacket,
} from '@switchyard/core';
import { SocketPacketType } from '@switchyard/core';
import { RecoveryLog, UNLOGGED_OFFSET } from './recovery-log.js';
import { RestoringSockets } from './restoring-sockets.js';
import { WireAdapter, type WireAdapterContext } from './wire-adapter.js';

export type RedisAdapterContext = WireAdapterContext;

/**
 * The adapter class for `new Server({ adapter })`: socket.io's Redis wire (WireAdapter), and connection
 * state recovery of Switchyard's own, whose log is a Redis stream. A logged broadcast's offset travels
 * in its options, where socket.io does not look; recovery is exactly-once (see RestoringSockets).
 */
export function createRedisAdapter(context: RedisAdapterContext): AdapterConstructor {
  const { pubsub, key, requestTimeout, onError } = context;

  return class RedisAdapter extends WireAdapter {
    readonly #restoring = new RestoringSockets(Math.max(requestTimeout, 5000));
    #log: RecoveryLog | undefined;
    /** Broadcasts wait here, in order, while an earlier one waits for its offset. */
    #tail: Promise<void> = Promise.resolve();
    #waiting = 0;

    constructor(nsp: AdapterNamespace) {
      super(nsp, context);
    }

    override close(): void {
      this.#restoring.clear();
      super.close();
    }

    override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
      const log = this.#log;
      if (log !== undefined && isLogged(packet, opts)) {
        const data = packet.data as unknown[];
        const offset = log.append(data, opts.rooms, opts.except);
        this.#inOrder(async () => {
          const id = await offset.catch((err: unknown) => {
            onError(err as Error);
            return UNLOGGED_OFFSET;
          });
          this.publishBroadcast(packet, opts, id);
          this.#deliverLogged(packet, opts, id);
        });
      } else if (this.#waiting > 0) {
        this.#inOrder(() => super.broadcast(packet, opts));
      } else {
        super.broadcast(packet, opts);
      }
    }

    protected override deliverRemote(packet: SocketPacket, opts: BroadcastOptions, offset: string | undefined): void {
      if (offset !== undefined && this.#log !== undefined && isLogged(packet, opts)) this.#deliverLogged(packet, opts, offset);
      else super.deliverRemote(packet, opts, offset);
    }

    /** A logged event: with its offset last, and never twice to a socket being restored. */
    #deliverLogged(packet: SocketPacket, opts: BroadcastOptions, offset: string): void {
      const data = [...(packet.data as unknown[]), offset];
      const skipped = offset === UNLOGGED_OFFSET ? [] : this.#restoring.skip(offset, data, opts, (id) => this.nsp.localSocket(id) !== undefined);
      const except = skipped.length === 0 ? opts.except : new Set([...opts.except, ...skipped]);
      super.deliverRemote({ ...packet, data }, { ...opts, except }, offset);
    }

    #inOrder(step: () => void | Promise<void>): void {
      this.#waiting++;
      this.#tail = this.#tail
        .then(step)
        .catch(onError)
        .finally(() => {
          this.#waiting--;
        });
    }

    override enableRecovery(recovery: RecoveryOptions): void {
      // Offsets come from the shared log, never from this process alone.
      this.#log = new RecoveryLog(pubsub.driver, `${key}-switchyard#${this.nsp.name}#`, recovery);
    }

    override persistSession(session: PersistedSession): Promise<void> {
      return this.#log?.persist(session).catch(onError) ?? Promise.resolve();
    }

    override async restoreSession(pid: string, offset: string): Promise<RestoredSession | null> {
      const restored = await this.#log?.restore(pid, offset);
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

/** What connection state recovery keeps: plain events, neither volatile nor waiting for acks. */
function isLogged(packet: SocketPacket, opts: BroadcastOptions): boolean {
  return packet.type === SocketPacketType.EVENT && opts.flags.volatile !== true && packet.id === undefined;
}
