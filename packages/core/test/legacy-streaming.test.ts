// The 0.9 transports no official client runs in a modern runtime, byte for byte with raw peers:
// htmlfile, xhr-multipart, flashsocket, and the Flash policy file server.
import { connect as netConnect } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Socket, flashPolicy } from '../src/index.js';
import { handshake, stream, useLegacy } from './legacy-helpers.js';
import { rawRequest, until } from './sio-helpers.js';

const { start } = useLegacy();

describe.each([
  {
    name: 'htmlfile',
    type: 'text/html; charset=UTF-8',
    preamble: '<html><body><script>var _ = function (msg) { parent.s._(msg, document); };</script>' + ' '.repeat(256),
    frame: (payload: string) => `<script>_(${JSON.stringify(payload).replace(/</g, '\\u003c').replace(/>/g, '\\u003e')});</script>`,
  },
  {
    name: 'xhr-multipart',
    type: 'multipart/x-mixed-replace; boundary="socketio"',
    preamble: '--socketio\r\n',
    frame: (payload: string) => `Content-Type: text/plain; charset=UTF-8\r\n\r\n${payload}\r\n--socketio\r\n`,
  },
])('0.9 $name', ({ name, type, preamble, frame }) => {
  it('holds one response: the preamble, 1::, then a chunk per payload; POST carries data in; heartbeats flow', async () => {
    const h = await start({ protocol09: { heartbeatInterval: 100, heartbeatTimeout: 1000 } });
    const said: unknown[] = [];
    h.io.on('connection', (socket: Socket) => {
      socket.emit('hi', '</script>');
      socket.on('say', (text: string) => {
        said.push(text);
        socket.emit('heard', text);
      });
    });
    const sid = await handshake(h.url);
    const held = await stream(`${h.url}/socket.io/1/${name}/${sid}?t=1`);
    expect(held.res.statusCode).toBe(200);
    expect(held.res.headers['content-type']).toBe(type);
    expect(held.res.headers['transfer-encoding']).toBe('chunked');
    // The transport can take `1::` at once; what the connection listeners send follows in a payload of its own.
    const hello = preamble + frame('1::') + frame('5:::{"name":"hi","args":["</script>"]}');
    // Heartbeats (every 100 ms here) may fall between any two payloads on a busy machine: they are checked
    // below, and left out of the comparisons of what else the stream carried.
    const beat = frame('2::');
    const withoutBeats = () => held.body().split(beat).join('');
    await until(() => withoutBeats().length >= hello.length);
    expect(withoutBeats()).toBe(hello);
    const posted = await rawRequest(`${h.url}/socket.io/1/${name}/${sid}`, { method: 'POST', body: '5:::{"name":"say","args":["yo"]}' });
    expect(posted.body.toString()).toBe('1');
    const heard = hello + frame('5:::{"name":"heard","args":["yo"]}');
    await until(() => withoutBeats().startsWith(heard));
    expect(said).toEqual(['yo']);
    // The server's heartbeat arrives as a payload of its own; the client answers it by POST.
    await until(() => held.body().includes(beat));
    await rawRequest(`${h.url}/socket.io/1/${name}/${sid}`, { method: 'POST', body: '2::' });
    const reasons: string[] = [];
    h.io.sockets.sockets.forEach((socket) => socket.on('disconnect', (reason) => reasons.push(reason)));
    held.end();
    await until(() => reasons.length === 1);
    expect(reasons).toEqual(['transport close']);
  });

  it('drops a client that stops reading once maxWriteBuffer bytes wait for it', async () => {
    const h = await start({ maxWriteBuffer: 256 * 1024 });
    const reasons: string[] = [];
    let server: Socket | undefined;
    h.io.on('connection', (socket: Socket) => {
      server = socket;
      socket.on('disconnect', (reason) => reasons.push(reason));
    });
    const sid = await handshake(h.url);
    // A raw peer that sends its GET and then never reads a byte of the answer.
    const peer = netConnect(h.port, '127.0.0.1');
    peer.on('error', () => {});
    peer.write(`GET /socket.io/1/${name}/${sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    peer.pause();
    await until(() => server !== undefined);
    const chunk = 'x'.repeat(256 * 1024);
    // Far more than the kernel buffers hold: without a bound the server would keep all of it.
    for (let i = 0; i < 256 && reasons.length === 0; i++) {
      server!.emit('big', chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => reasons.length === 1);
    expect(reasons).toEqual(['transport error']); // ERR_ENGINE_SLOW_CONSUMER, as on the other transports
    peer.destroy();
  });

  it('closes the session when the heartbeat goes unanswered', async () => {
    const h = await start({ protocol09: { heartbeatInterval: 50, heartbeatTimeout: 150 } });
    const reasons: string[] = [];
    h.io.on('connection', (socket: Socket) => socket.on('disconnect', (reason) => reasons.push(reason)));
    const held = await stream(`${h.url}/socket.io/1/${name}/${await handshake(h.url)}`);
    await until(() => reasons.length === 1, 'the disconnect', 3000);
    expect(reasons).toEqual(['ping timeout']);
    held.end();
  });
});

describe('0.9 flashsocket', () => {
  it('speaks websocket framing, one packet per frame', async () => {
    const h = await start({ protocol09: { transports: ['websocket', 'flashsocket'] } });
    h.io.on('connection', (socket: Socket) => socket.on('ping', (n: number, ack: (m: number) => void) => ack(n + 1)));
    const sid = await handshake(h.url);
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/socket.io/1/flashsocket/${sid}`);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(data.toString()));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('5:1+::{"name":"ping","args":[41]}');
    await until(() => frames.length === 2);
    expect(frames).toEqual(['1::', '6:::1+[42]']);
    const [socket] = [...h.io.sockets.sockets.values()];
    expect(socket!.conn.transport.name).toBe('flashsocket');
    ws.terminate();
  });

  it('is refused unless offered, and answers an unknown session with 7:::1+0', async () => {
    const h = await start();
    const refused = new WebSocket(`ws://127.0.0.1:${h.port}/socket.io/1/flashsocket/x`);
    const status = await new Promise<number | undefined>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode)));
    expect(status).toBe(400);
    refused.on('error', () => {});
    refused.terminate();
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/socket.io/1/websocket/unknown`);
    const first = await new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    expect(first).toBe('7:::1+0');
    await new Promise((resolve) => ws.once('close', resolve));
  });
});

describe('Flash policy file server', () => {
  it('answers <policy-file-request/> with the policy and a NUL, then closes', async () => {
    const h = await start({ protocol09: { flashPolicyServer: { port: 0, host: '127.0.0.1', toPorts: '80,443' } } });
    const policy = h.io.legacyEngine!.flashPolicyServer!;
    await policy.listening;
    expect((await rawRequest(`${h.url}/socket.io/1/`)).body.toString()).toMatch(/:websocket,flashsocket,htmlfile,/);
    const socket = netConnect(policy.address, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.write('<policy-file-request/>\0');
    await new Promise((resolve) => socket.once('close', resolve));
    const expected = flashPolicy('*', '80,443') + '\0';
    expect(Buffer.concat(chunks).toString('latin1')).toBe(expected);
    expect(expected).toContain('<allow-access-from domain="*" to-ports="80,443"/>');
  });

  it('is off unless enabled', async () => {
    const h = await start();
    expect(h.io.legacyEngine!.flashPolicyServer).toBeUndefined();
    expect((await rawRequest(`${h.url}/socket.io/1/`)).body.toString()).not.toContain('flashsocket');
  });
});
