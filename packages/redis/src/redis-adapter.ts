import type {
  AdapterConstructor,
  AdapterNamespace,
  BroadcastOptions,
  PersistedSession,
  RecoveryOptions,
  RestoredSession,
  SocketPacket,
} from '@switchyard/core';
import { SocketPacketType } from '@switchyard/core';
import { RecoveryLog, UNLOGGED_OFFSET } from './recovery-log.js';
import { WireAdapter, type WireAdapterContext } from './wire-adapter.js';

export type RedisAdapterContext = WireAdapterContext;

/**
 * The adapter class for `new Server({ adapter })`: socket.io's Redis wire (WireAdapter), and connection
 * state recovery of Switchyard's own, whose log is a Redis stream. A logged broadcast's offset travels
 * in its options, where socket.io does not look; recovery is exactly-once (see RestoringSockets).
 */
export function createRedisAdapter(context: RedisAdapterContext): AdapterConstructor {
  const { pubsub, key, onError } = context;

  return class RedisAdapter extends WireAdapter {
    #log: RecoveryLog | undefined;
    /** Broadcasts wait here, in order, while an earlier one waits for its offset. */
    #tail: Promise<void> = Promise.resolve();
    #waiting = 0;

    constructor(nsp: AdapterNamespace) {
      super(nsp, context);
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

    /** A logged event: with its offset last. */
    #deliverLogged(packet: SocketPacket, opts: BroadcastOptions, offset: string): void {
      super.deliverRemote({ ...packet, data: [...(packet.data as unknown[]), offset] }, opts, offset);
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
      return restored?.session ?? null;
    }
  };
}

/** What connection state recovery keeps: plain events, neither volatile nor waiting for acks. */
function isLogged(packet: SocketPacket, opts: BroadcastOptions): boolean {
  return packet.type === SocketPacketType.EVENT && opts.flags.volatile !== true && packet.id === undefined;
}
