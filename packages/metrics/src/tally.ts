import { CLIENT_GENERATIONS, type ClientGenerationName, generationOf } from '@switchyard/core';

/** The client generations, as the figures label them (core's names): socket.io-client 3.x/4.x, 2.x, and 0.7 to 0.9. */
export type Generation = ClientGenerationName;

export const GENERATIONS: readonly Generation[] = CLIENT_GENERATIONS;

export { generationOf };

/** What one generation's sessions did: plain numbers on the packet path, read by the metrics at scrape. */
export class GenerationTally {
  connections = 0;
  packetsIn = 0;
  packetsOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  slowConsumers = 0;
  acksUnanswered = 0;
  /** Disconnections by reason. */
  readonly disconnections = new Map<string, number>();
}

/** Counts by key, created on first use. */
export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** The last text measured: a broadcast hands every session the same string, measured once. */
let lastText = '';
let lastBytes = 0;

/** The bytes of a packet's data: UTF-8 for text, as it goes on the wire. */
export function byteLength(data: string | Buffer | undefined): number {
  if (data === undefined) return 0;
  if (typeof data !== 'string') return data.length;
  if (data !== lastText) {
    lastText = data;
    lastBytes = Buffer.byteLength(data);
  }
  return lastBytes;
}
