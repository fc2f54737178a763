// The drop-in as a socket.io user meets it: both packages packed as a publish would pack them, installed
// with npm into a plain project outside the workspace under the name `socket.io`, and a socket.io 4 chat
// app (test/fixtures/chat-app.cjs) run there unchanged against socket.io-client 4.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { installPacked } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = import.meta.dirname;
const packages = join(here, '..', '..');

let project: string;
let removeProject: (() => Promise<void>) | undefined;
const children: ChildProcess[] = [];
const clients: ClientSocket[] = [];

beforeAll(async () => {
  const installed = await installPacked({
    packages: [join(packages, 'core'), join(packages, 'socket.io')],
    installAs: { 'socket.io': '@switchyard/socket.io' },
    dependencies: { 'socket.io-client': '^4.8.1', typescript: '~5.9.3', '@types/node': '^20.19.0' },
    prefix: 'switchyard-drop-in-',
  });
  project = installed.dir;
  removeProject = installed.remove;
  await cp(join(here, 'fixtures'), project, { recursive: true });
}, 180_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')) : undefined)));
  await removeProject?.();
});

/** Starts the app and resolves with its port once it says it listens. */
function start(file: string): Promise<number> {
  const child = spawn(process.execPath, [file], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const port = /listening on (\d+)/.exec(output)?.[1];
      if (port !== undefined) resolve(Number(port));
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}:\n${output}`)));
  });
}

function client(port: number, auth: Record<string, string>): ClientSocket {
  const socket = connect(`http://127.0.0.1:${port}`, { auth, forceNew: true, reconnection: false });
  clients.push(socket);
  return socket;
}

function next<T>(socket: ClientSocket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, resolve));
}

describe('@switchyard/socket.io installed as socket.io', () => {
  it('has the module shape of socket.io: callable CommonJS with the classes, ESM with the same named exports', async () => {
    const cjs = await run(process.execPath, ['-e', "const io = require('socket.io'); console.log(typeof io, ['Server', 'Namespace', 'Socket', 'RemoteSocket', 'BroadcastOperator'].map((k) => typeof io[k]).join())"], { cwd: project });
    expect(cjs.stdout.trim()).toBe('function function,function,function,function,function');
    const esm = await run(process.execPath, ['--input-type=module', '-e', "import { Server, Namespace, Socket, RemoteSocket, BroadcastOperator } from 'socket.io'; const io = new Server(); console.log([Server, Namespace, Socket, RemoteSocket, BroadcastOperator].map((k) => typeof k).join(), io.sockets instanceof Namespace); await io.close();"], { cwd: project });
    expect(esm.stdout.trim()).toBe('function,function,function,function,function true');
  });

  it('type-checks a typed socket.io app with tsc --strict', async () => {
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', 'typed-app.ts'];
    await expect(run(process.execPath, [tsc, ...args], { cwd: project })).resolves.toBeDefined();
  }, 60_000);

  it('runs a socket.io 4 chat app unchanged: middleware, rooms, broadcasts, acks and fetchSockets', async () => {
    const port = await start('chat-app.cjs');

    const refused = client(port, {});
    const error = await next<Error>(refused, 'connect_error');
    expect(error.message).toBe('a name is required');

    const ada = client(port, { name: 'ada' });
    const bob = client(port, { name: 'bob' });
    expect(await next(ada, 'welcome')).toBe('hello ada');
    expect(await next(bob, 'welcome')).toBe('hello bob');

    expect(await ada.emitWithAck('join', 'lobby')).toEqual({ room: 'lobby', members: 1 });
    const joined = next(ada, 'joined');
    expect(await bob.emitWithAck('join', 'lobby')).toEqual({ room: 'lobby', members: 2 });
    expect(await joined).toEqual({ room: 'lobby', name: 'bob' });

    const heardByBob = next(bob, 'said');
    const heardByAda = next(ada, 'said');
    expect(await ada.emitWithAck('say', 'lobby', 'hi all')).toBe('delivered');
    expect(await heardByBob).toEqual({ room: 'lobby', from: 'ada', text: 'hi all' });
    expect(await heardByAda).toEqual({ room: 'lobby', from: 'ada', text: 'hi all' });
    expect(await bob.emitWithAck('who', 'lobby')).toEqual(['ada', 'bob']);

    const left = next(ada, 'left');
    bob.disconnect();
    expect(await left).toEqual({ name: 'bob', reason: 'client namespace disconnect' });
  });

  it("keeps socket.io's defaults: no Engine.IO v3 (socket.io-client 2.x) and no 0.9 protocol", async () => {
    const port = await start('chat-app.cjs');
    const v3 = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=3&transport=polling`);
    expect(v3.status).toBe(400);
    expect(await v3.json()).toEqual({ code: 5, message: 'Unsupported protocol version' });
    const v09 = await fetch(`http://127.0.0.1:${port}/socket.io/1/?t=1`);
    expect(v09.status).toBe(400);
    const v4 = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`);
    expect(v4.status).toBe(200);
  });
});
