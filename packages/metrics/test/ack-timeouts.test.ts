import type { Server } from '@switchyard/core';
import { type AckTimeout } from '@switchyard/core';
import { type GenerationClient, socketIoClientV09, socketIoClientV2, socketIoClientV4, until } from '@switchyard/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Instrumentation } from '../src/index.js';
import { scrapeUntil, startInstrumented } from './instrumented-server.js';
import { sample, total } from './scrape.js';

const GENERATIONS = [socketIoClientV4, socketIoClientV2, socketIoClientV09];
/** Long enough for an answering client on a loaded machine: the silent ones take this long to count. */
const ANSWER_WITHIN = 1500;

let io: Server;
let metrics: Instrumentation;
let url: string;
const clients: GenerationClient[] = [];

beforeEach(async () => {
  ({ io, metrics, url } = await startInstrumented());
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  metrics.close();
  await io.close();
});

it('counts the acknowledgements that timed out, of every generation, for emits and broadcasts', async () => {
  const seen: AckTimeout[] = [];
  io.on('ack_timeout', (timeout) => seen.push(timeout));
  for (const generation of GENERATIONS) {
    const silent = await generation.connect({ url, path: '/socket.io', transports: ['websocket'] });
    clients.push(silent);
    silent.on('ask', (() => {}) as never);
    const answering = await generation.connect({ url, path: '/socket.io', transports: ['websocket'] });
    clients.push(answering);
    answering.on('ask', ((value: number, ack: (v: number) => void) => ack(value + 1)) as never);
  }
  await until(() => io.sockets.sockets.size === 6, 'six sockets');
  // Which generation each server-side socket speaks, by its session's protocol revision.
  const generationOf = new Map([...io.sockets.sockets.values()].map((s) => [s.id, s.conn.protocol]));

  const answers = await Promise.all([...io.sockets.sockets.values()].map((socket) => socket.timeout(ANSWER_WITHIN).emitWithAck('ask', 1).catch(() => 'timeout')));
  expect(answers.filter((a) => a === 2)).toHaveLength(3);
  expect(answers.filter((a) => a === 'timeout')).toHaveLength(3);
  let samples = await scrapeUntil(url, (s) => sample(s, 'switchyard_acks_timed_out_total', { namespace: '/' }) === 3, 'three timed out acks');
  const silentIds = seen.map((t) => t.socketId);
  expect(new Set(silentIds.map((id) => generationOf.get(id)))).toEqual(new Set([4, 3, 1]));
  expect(seen.every((t) => t.namespace === '/' && !t.broadcast)).toBe(true);

  const [err, responses] = await new Promise<unknown[]>((resolve) => io.timeout(ANSWER_WITHIN).emit('ask', 1, (...args: unknown[]) => resolve(args)));
  expect(err).toBeInstanceOf(Error);
  expect(responses).toEqual([2, 2, 2]);
  samples = await scrapeUntil(url, (s) => sample(s, 'switchyard_acks_timed_out_total', { namespace: '/' }) === 6, 'three more, of the broadcast');
  expect(seen.slice(3).map((t) => [t.socketId, t.broadcast]).sort()).toEqual(silentIds.map((id) => [id, true]).sort());
  expect(total(samples, 'switchyard_acks_timed_out_total')).toBe(6);
});

it('stops counting on close', async () => {
  const silent = await socketIoClientV4.connect({ url, path: '/socket.io', transports: ['websocket'] });
  clients.push(silent);
  silent.on('ask', (() => {}) as never);
  await until(() => io.sockets.sockets.size === 1, 'one socket');
  expect(io.listenerCount('ack_timeout')).toBe(1);
  metrics.close();
  expect(io.listenerCount('ack_timeout')).toBe(0);
  const [socket] = io.sockets.sockets.values();
  await expect(socket!.timeout(50).emitWithAck('ask')).rejects.toThrow('operation has timed out');
  expect((await metrics.registry.metrics()).trim()).toBe('');
});
