import { deserialize, serialize } from 'node:v8';
import {
  type AdapterConstructor,
  type AdapterNamespace,
  type BroadcastOptions,
  ClusterAdapter,
  type ClusterAdapterOptions,
  type ClusterMessage,
  type PersistedSession,
  type RecoveryOptions,
  type RestoredSession,
  type SocketPacket,
  SocketPacketType,
} from '@switchyard/core';
import { RecoveryLog, UNLOGGED_OFFSET } from './recovery-log.js';
import type { RedisPubSub } from './redis-pubsub.js';

export interface RedisAdapterContext {
  pubsub: RedisPubSub;
  /** Prefix of every channel and key. */
  key: string;
  options: ClusterAdapterOptions;
  onError: (err: Error) => void;
}

/**
 * The adapter class for `new Server({ adapter })`: a ClusterAdapter whose messages travel over Redis
 * pub/sub, one channel per namespace for what every node hears and one per adapter for answers meant for
 * it. Each node decodes a broadcast once and encodes its packet once, whatever its number of sockets.
 */
export function createRedisAdapter(context: RedisAdapterContext): AdapterConstructor {
  const { pubsub, key, options, onError } = context;

  return class RedisAdapter extends ClusterAdapter {
    readonly #channel: string;
    readonly #ownChannel: string;
    readonly #subscribed: Promise<unknown>;
    #log: RecoveryLog | undefined;
    /** Broadcasts wait here, in order, while an earlier one waits for its offset. */
    #tail: Promise<void> = Promise.resolve();
    #waiting = 0;
    #closed = false;

    constructor(nsp: AdapterNamespace) {
      super(nsp, options);
      this.#channel = `${key}#${nsp.name}#`;
      this.#ownChannel = `${this.#channel}${this.uid}#`;
      this.#subscribed = Promise.all([
        pubsub.subscribe(this.#channel, this.#onMessage),
        pubsub.subscribe(this.#ownChannel, this.#onMessage),
      ]);
    }

    override async init(): Promise<void> {
      // Hear the other nodes' answers to our first heartbeat.
      await this.#subscribed.catch(onError);
      if (!this.#closed) super.init();
    }

    override close(): void {
      if (this.#closed) return;
      this.#closed = true;
      super.close();
      pubsub.unsubscribe(this.#channel, this.#onMessage);
      pubsub.unsubscribe(this.#ownChannel, this.#onMessage);
    }

    protected publish(message: ClusterMessage): Promise<void> {
      return this.#publish(this.#channel, message);
    }

    protected override publishResponse(targetUid: string, message: ClusterMessage): Promise<void> {
      return this.#publish(`${this.#channel}${targetUid}#`, message);
    }

    // ---- connection state recovery, shared through Redis ----

    override enableRecovery(recovery: RecoveryOptions): void {
      // Offsets come from the shared log, never from this process alone.
      this.#log = new RecoveryLog(pubsub.client, `${key}#${this.nsp.name}`, recovery);
    }

    override persistSession(session: PersistedSession): Promise<void> {
      return this.#log?.persist(session).catch(onError) ?? Promise.resolve();
    }

    override restoreSession(pid: string, offset: string): Promise<RestoredSession | null> {
      return this.#log?.restore(pid, offset) ?? Promise.resolve(null);
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
          super.broadcast({ ...packet, data: [...data, id] }, opts);
        });
      } else if (this.#waiting > 0) {
        this.#inOrder(() => super.broadcast(packet, opts));
      } else {
        super.broadcast(packet, opts);
      }
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

    async #publish(channel: string, message: ClusterMessage): Promise<void> {
      try {
        await pubsub.publish(channel, serialize(message));
      } catch (err) {
        onError(err as Error);
      }
    }

    readonly #onMessage = (payload: Buffer): void => {
      if (this.#closed) return;
      let message: ClusterMessage;
      try {
        message = deserialize(payload) as ClusterMessage;
      } catch (err) {
        onError(err as Error);
        return;
      }
      this.onMessage(message);
    };
  };
}

/** What connection state recovery keeps: plain events, neither volatile nor waiting for acks. */
function isLogged(packet: SocketPacket, opts: BroadcastOptions): boolean {
  return packet.type === SocketPacketType.EVENT && opts.flags.volatile !== true && packet.id === undefined;
}
