// The testapp serves its Prometheus metrics at /metrics: one client of each generation, in Node, shows up
// in switchyard_sessions under its generation, and its echo in the packets counted for it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { V09 } from './generations/v09.mjs';
import { V2 } from './generations/v2.mjs';
import { V4 } from './generations/v4.mjs';
import { nodeClients } from './support/node-clients.mjs';
import { startTestApp } from './support/start-app.mjs';

let app;
const connections = [];
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  for (const clients of connections) await clients.close();
  await app?.stop();
});

/** The value of `name{labels}` in the text /metrics answers (every label given, in any order), or 0. */
function valueOf(text, name, labels) {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}')).split(',');
    if (wanted.every((label) => inside.includes(label))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

it('serves /metrics with the sessions and packets of every client generation', async () => {
  for (const generation of [V4, V2, V09]) {
    const clients = nodeClients(generation, generation.transports[0], app.url);
    connections.push(clients);
    const client = await clients.connect('/');
    expect(await client.emitWithAck('echo', 'hello')).toEqual(['hello']);
  }
  const res = await fetch(`${app.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await res.text();
  for (const generation of ['4.x', '2.x', '0.9']) {
    expect(valueOf(text, 'switchyard_connections_total', { generation })).toBe(1);
    // the echo each way (and the namespace connect, for the generations that send one)
    expect(valueOf(text, 'switchyard_packets_received_total', { generation })).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'switchyard_packets_sent_total', { generation })).toBeGreaterThanOrEqual(1);
  }
  const sessions = text.split('\n').filter((line) => line.startsWith('switchyard_sessions{') && !line.endsWith(' 0'));
  expect(sessions).toHaveLength(3);
});
