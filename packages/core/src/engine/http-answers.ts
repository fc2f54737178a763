import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ENGINE_HTTP_ERROR_MESSAGES, type EngineHttpError, EngineHttpError as Codes } from './errors.js';

function statusOf(code: EngineHttpError): number {
  return code === Codes.FORBIDDEN ? 403 : 400;
}

/** Answers a refused polling request: `{"code":N,"message":"…"}` with 400 (403 for Forbidden). */
export function writeEngineError(res: ServerResponse, code: EngineHttpError, message?: string, status = statusOf(code)): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ code, message: message ?? ENGINE_HTTP_ERROR_MESSAGES[code] });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Refuses a websocket upgrade with a plain HTTP answer carrying the message as text, then drops the socket. */
export function abortUpgrade(socket: Duplex, code: EngineHttpError, message?: string, status = statusOf(code)): void {
  abortUpgradeWithStatus(socket, status, message ?? ENGINE_HTTP_ERROR_MESSAGES[code] ?? 'Bad request');
}

export function abortUpgradeWithStatus(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', socket.destroy);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=UTF-8\r\n' +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}
