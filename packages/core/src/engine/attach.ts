import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { abortUpgradeWithStatus } from './http-answers.js';

export interface NodeRequestHandler {
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Puts `handler` in front of an http server: requests it claims are answered by it and never reach the
 * listeners the server had; every other request and upgrade goes to those listeners, exactly as before.
 * Listeners the host adds later are the server's own and see every request, as with socket.io. Only a
 * request that no listener at all is there for is answered 404 here, so nothing is answered twice.
 * Returns a function that restores the server as it was.
 */
export function attachToHttpServer(server: HttpServer, handler: NodeRequestHandler): () => void {
  const hostRequest = server.listeners('request') as RequestListener[];
  const hostUpgrade = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('request');
  server.removeAllListeners('upgrade');

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (handler.handleRequest(req, res)) return;
    if (hostRequest.length === 0) {
      if (server.listenerCount('request') > 1) return;
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    for (const listener of hostRequest) listener.call(server, req, res);
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (handler.handleUpgrade(req, socket, head)) return;
    if (hostUpgrade.length === 0) {
      if (server.listenerCount('upgrade') > 1) return;
      // Without our listener Node would have answered this as a plain request; nothing here wants it.
      socket.on('error', noop);
      abortUpgradeWithStatus(socket, 404, 'Not Found');
      return;
    }
    for (const listener of hostUpgrade) listener.call(server, req, socket, head);
  };
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);

  return () => {
    server.off('request', onRequest);
    server.off('upgrade', onUpgrade);
    for (const listener of hostRequest) server.on('request', listener);
    for (const listener of hostUpgrade) server.on('upgrade', listener);
  };
}

function noop(): void {}
