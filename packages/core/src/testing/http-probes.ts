// What the adapter suite looks at from outside: raw requests, upgrades and streams, and the process's TCP handles.
import { ok, strictEqual } from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import WebSocket from 'ws';

/** A streaming answer held open (0.9's htmlfile, xhr-multipart): its text so far, and its end. */
export interface HeldStream {
  text(): string;
  readonly ended: Promise<void>;
  close(): void;
}

const TCP_RESOURCES = new Set(['TCPSocketWrap', 'TCPServerWrap', 'TCPWRAP', 'TCPSERVERWRAP']);

/** How many TCP sockets and servers the process holds open now. */
export const tcpHandles = (): number => process.getActiveResourcesInfo().filter((name) => TCP_RESOURCES.has(name)).length;
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check()` holds; rejects naming `what` after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Opens a GET whose answer streams; resolves once its head has arrived. */
export function openStream(url: string): Promise<HeldStream> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      const ended = new Promise<void>((done) => res.once('close', () => done()));
      if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
      resolve({ text: () => text, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

/** A fresh 0.9 handshake's session id. */
export async function legacyHandshake(base: string, path: string): Promise<string> {
  const res = await fetch(`${base}${path}1/?t=${Date.now()}`);
  const body = await res.text();
  strictEqual(res.status, 200, `0.9 handshake answered ${res.status} ${body}`);
  ok(/^[^:]+:\d+:\d+:[a-z-,]+$/.test(body), `0.9 handshake body, got ${body}`);
  return body.split(':')[0]!;
}

/** The status code and headers `ws` gets for an upgrade, or 101 once it opens. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.on('unexpected-response', (req, res) => {
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', reject);
  });
}
