import type { Server } from '@switchyard/core';
import { type ClientGeneration, type GenerationClient, socketIoClientV09, socketIoClientV2, socketIoClientV4, until } from '@switchyard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Instrumentation, instrument } from '../src/index.js';
import { scrapeUntil, startInstrumented } from './instrumented-server.js';
import { sample, scrape, total } from './scrape.js';

const GENERATIONS: [label: string, client: ClientGeneration][] = [
  ['4.x', socketIoClientV4],
  ['2.x', socketIoClientV2],
  ['0.9', socketIoClientV09],
];
const TRANSPORTS = ['polling', 'websocket'] as const;
/** How each generation names its polling transport in the sessions gauge. */
const POLLING_NAME: Record<string, string> = { '4.x': 'polling', '2.x': 'polling', '0.9': 'xhr-polling' };

let io: Server;
let metrics: Instrumentation;
let url: string;
const clients: GenerationClient[] = [];

beforeEach(async () => {
  ({ io, metrics, url } = await startInstrumented({ maxWriteBuffer: 4096 }));
  io.on('connection', (socket) => {
    socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
  });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  metrics.close();
  await io.close();
});

async function connect(client: ClientGeneration, transport: 'polling' | 'websocket'): Promise<GenerationClient> {
  const connected = await client.connect({ url, path: '/socket.io', transports: [transport] });
  clients.push(connected);
  return connected;
}

/** Scrapes until `check` holds on what /metrics answers, and returns that scrape. */

describe('instrument()', () => {
  it('counts sessions, connections, packets and bytes of every generation and transport', async () => {
    const connected = await Promise.all(GENERATIONS.flatMap(([, client]) => TRANSPORTS.map((t) => connect(client, t))));
    for (const client of connected) expect(await client.ask('echo', 'hello')).toBe('hello');

    const samples = await scrapeUntil(url, 
      (s) => GENERATIONS.every(([g]) => sample(s, 'switchyard_connections_total', { generation: g }) === 2),
      'two connections of each generation',
    );
    for (const [generation] of GENERATIONS) {
      expect(sample(samples, 'switchyard_sessions', { generation, transport: 'websocket' })).toBe(1);
      expect(sample(samples, 'switchyard_sessions', { generation, transport: POLLING_NAME[generation]! })).toBe(1);
      // at least the namespace connect and the echo each way
      expect(sample(samples, 'switchyard_packets_received_total', { generation })).toBeGreaterThanOrEqual(2);
      expect(sample(samples, 'switchyard_packets_sent_total', { generation })).toBeGreaterThanOrEqual(2);
      expect(sample(samples, 'switchyard_bytes_received_total', { generation })).toBeGreaterThanOrEqual(2 * 'hello'.length);
      expect(sample(samples, 'switchyard_bytes_sent_total', { generation })).toBeGreaterThanOrEqual(2 * 'hello'.length);
    }
    expect(sample(samples, 'switchyard_sockets', { namespace: '/' })).toBe(6);
  });

  it('counts disconnections by reason and generation', async () => {
    const connected = await Promise.all(GENERATIONS.map(([, client]) => connect(client, 'websocket')));
    await scrapeUntil(url, (s) => total(s, 'switchyard_sessions') === 3, 'three sessions');
    for (const client of connected) client.close();
    const samples = await scrapeUntil(url, 
      (s) => GENERATIONS.every(([generation]) => total(s, 'switchyard_disconnections_total', { generation }) === 1),
      'one disconnection of each generation',
    );
    expect(total(samples, 'switchyard_sessions')).toBe(0);
    expect(sample(samples, 'switchyard_disconnections_total', { generation: '4.x', reason: 'transport close' })).toBe(1);
    expect(sample(samples, 'switchyard_sockets', { namespace: '/' })).toBe(0);
  });

  it('counts sessions the server closes, over polling', async () => {
    await Promise.all(GENERATIONS.map(([, client]) => connect(client, 'polling')));
    await until(() => io.sockets.sockets.size === 3, 'three sockets');
    io.disconnectSockets(true);
    const samples = await scrapeUntil(url, 
      (s) => GENERATIONS.every(([generation]) => total(s, 'switchyard_disconnections_total', { generation }) === 1),
      'one disconnection of each generation',
    );
    expect(total(samples, 'switchyard_sessions')).toBe(0);
    // 2.x closes its end itself as soon as it hears the disconnect: `transport close` for it.
    expect(sample(samples, 'switchyard_disconnections_total', { generation: '4.x', reason: 'forced close' })).toBe(1);
    expect(sample(samples, 'switchyard_disconnections_total', { generation: '0.9', reason: 'forced close' })).toBe(1);
  });

  it('times the acknowledgements the server asks for, and counts those never answered', async () => {
    const answering = await Promise.all(GENERATIONS.map(([, client]) => connect(client, 'websocket')));
    for (const client of answering) client.on('ask', ((value: number, ack: (v: number) => void) => ack(value + 1)) as never);
    const silent = await Promise.all(GENERATIONS.map(([, client]) => connect(client, 'polling')));
    for (const client of silent) client.on('ask', (() => {}) as never);
    await until(() => io.sockets.sockets.size === 6, 'six sockets');

    const answers = await Promise.all([...io.sockets.sockets.values()].map((socket) => socket.timeout(500).emitWithAck('ask', 1).catch(() => 'timeout')));
    expect(answers.filter((a) => a === 2)).toHaveLength(3);
    expect(answers.filter((a) => a === 'timeout')).toHaveLength(3);
    for (const client of silent) client.close();

    const samples = await scrapeUntil(url, 
      (s) => GENERATIONS.every(([generation]) => sample(s, 'switchyard_acks_unanswered_total', { generation }) === 1),
      'one unanswered ack of each generation',
    );
    for (const [generation] of GENERATIONS) {
      expect(sample(samples, 'switchyard_ack_round_trip_seconds_count', { generation })).toBe(1);
      const seconds = sample(samples, 'switchyard_ack_round_trip_seconds_sum', { generation });
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThan(0.5);
    }
  });

  it('counts refused requests by engine.io code and name', async () => {
    await fetch(`${url}/socket.io/?EIO=9&transport=polling`);
    await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=nobody`);
    await fetch(`${url}/socket.io/?EIO=4&transport=carrier-pigeon`);
    await fetch(`${url}/socket.io/?EIO=3&transport=polling&j=x`);
    // the 0.9 protocol's refusals reach io.engine's connection_error too
    await fetch(`${url}/socket.io/1/xhr-polling/nobody`);
    const samples = await scrape(`${url}/metrics`);
    const refused = (generation: string, code: string, name = ''): number => sample(samples, 'switchyard_handshake_refusals_total', { generation, code, name });
    expect(refused('unknown', '5')).toBe(1);
    expect(refused('4.x', '1')).toBe(1);
    expect(refused('4.x', '0')).toBe(1);
    expect(refused('0.9', '1')).toBe(1);
    expect(refused('2.x', '3', 'BAD_JSONP_INDEX')).toBe(1);
  });

  it('counts a polling client dropped for reading too slowly', async () => {
    // A client that handshakes over polling and never polls again.
    const handshake = await (await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).text();
    const sid = (JSON.parse(handshake.slice(1)) as { sid: string }).sid;
    const session = io.engine.sessions.get(sid)!;
    session.send('x'.repeat(3000));
    session.send('x'.repeat(3000));
    const samples = await scrapeUntil(url, (s) => sample(s, 'switchyard_slow_consumers_dropped_total', { generation: '4.x' }) === 1, 'a slow consumer');
    expect(sample(samples, 'switchyard_disconnections_total', { generation: '4.x', reason: 'transport error' })).toBe(1);
  });

  it('measures the event loop delay', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const samples = await scrapeUntil(url, (s) => sample(s, 'switchyard_event_loop_delay_seconds', { quantile: '1' }) > 0, 'an event loop delay');
    expect(sample(samples, 'switchyard_event_loop_delay_seconds', { quantile: '0.5' })).toBeGreaterThan(0);
  });

  it('takes a prefix and fixed labels, and shares a registry', async () => {
    metrics.close();
    metrics = instrument(io, { registry: metrics.registry, prefix: 'chat_', labels: { service: 'chat' } });
    await connect(socketIoClientV4, 'websocket');
    const samples = await scrapeUntil(url, (s) => sample(s, 'chat_sessions', { service: 'chat', generation: '4.x', transport: 'websocket' }) === 1, 'one session');
    expect(total(samples, 'switchyard_sessions')).toBe(0);
  });
});
