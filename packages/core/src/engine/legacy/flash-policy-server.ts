import { createServer, type Server, type Socket } from 'node:net';
import { consoleLogger, type Logger } from '../logger.js';
import type { FlashPolicyServerOptions } from './legacy-options.js';

const REQUEST = '<policy-file-request/>';
/** A client that sends more than this without a request, or takes longer, is dropped. */
const MAX_REQUEST_BYTES = 256;
const REQUEST_TIMEOUT_MS = 5000;

/**
 * The Flash socket policy file server the flashsocket transport needs: on its own TCP port, a
 * connection that sends `<policy-file-request/>` gets the cross-domain policy followed by a NUL byte,
 * then the connection is closed.
 */
export class FlashPolicyServer {
  readonly port: number;
  /** Resolves once the server accepts connections (rejects if it cannot listen). */
  readonly listening: Promise<void>;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #policy: Buffer;

  constructor(options: FlashPolicyServerOptions, logger: Logger = consoleLogger) {
    this.port = options.port ?? 10843;
    this.#policy = Buffer.from(flashPolicy(options.domain ?? '*', options.toPorts ?? '*') + '\0');
    this.#server = createServer((socket) => this.#onConnection(socket));
    this.listening = new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.port, options.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    // A failure to listen is reported through `listening`; it must not crash the process unobserved.
    this.listening.catch((err: unknown) => logger.error({ port: this.port, err }, 'the Flash policy server could not listen'));
  }

  /** The port actually bound (useful with port 0). */
  get address(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : this.port;
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => {
      if (!this.#server.listening) return resolve();
      this.#server.close(() => resolve());
    });
  }

  #onConnection(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes(REQUEST)) {
        socket.removeAllListeners('data');
        socket.end(this.#policy);
      } else if (received.length > MAX_REQUEST_BYTES) {
        socket.destroy();
      }
    });
  }
}

/** The cross-domain policy: which domains may open sockets to which ports. */
export function flashPolicy(domain: string, toPorts: string): string {
  const attr = (value: string): string => value.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    '<?xml version="1.0"?>\n' +
    '<!DOCTYPE cross-domain-policy SYSTEM "http://www.macromedia.com/xml/dtds/cross-domain-policy.dtd">\n' +
    '<cross-domain-policy>\n' +
    `<allow-access-from domain="${attr(domain)}" to-ports="${attr(toPorts)}"/>\n` +
    '</cross-domain-policy>\n'
  );
}
