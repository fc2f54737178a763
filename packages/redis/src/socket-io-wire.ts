import { decode, encode } from 'notepack.io';
import type { BroadcastOptions, Room, SocketPacket } from '@switchyard/core';
import type { ForwardMessage } from './forward-messages.js';

/**
 * The wire of `@socket.io/redis-adapter`'s classic `createAdapter` (and of `@socket.io/redis-emitter`),
 * per namespace:
 * - `<key>#<nsp>#` and `<key>#<nsp>#<room>#` (a broadcast to exactly one room): `[uid, packet, opts]`,
 *   MessagePack, heard through the pattern `<key>#<nsp>#*`;
 * - `<key>-request#<nsp>#`: requests, JSON (MessagePack for a broadcast with acks);
 * - `<key>-response#<nsp>#` and `<key>-response#<nsp>#<uid>#`: their answers, JSON or MessagePack.
 */
export const RequestType = {
  SOCKETS: 0,
  ALL_ROOMS: 1,
  REMOTE_JOIN: 2,
  REMOTE_LEAVE: 3,
  REMOTE_DISCONNECT: 4,
  REMOTE_FETCH: 5,
  SERVER_SIDE_EMIT: 6,
  BROADCAST: 7,
  BROADCAST_CLIENT_COUNT: 8,
  BROADCAST_ACK: 9,
} as const;

export interface WireChannels {
  /** Broadcasts to the whole namespace; a broadcast to one room goes to `<broadcast><room>#`. */
  broadcast: string;
  request: string;
  response: string;
}

export function wireChannels(key: string, nsp: string): WireChannels {
  return { broadcast: `${key}#${nsp}#`, request: `${key}-request#${nsp}#`, response: `${key}-response#${nsp}#` };
}

/** A broadcast's rooms and flags as socket.io sends them; `offset` is Switchyard's (recovery), ignored by socket.io. */
export interface WireOptions {
  rooms: Room[];
  except: Room[];
  flags?: BroadcastOptions['flags'];
  offset?: string;
}

/** What a request or a response may hold (each type uses some of these). */
export interface WireRequest {
  /** Absent from some answers (fetchSockets'), which only name their request. */
  type?: number;
  uid?: string;
  requestId?: string;
  opts?: WireOptions;
  rooms?: Room[];
  close?: boolean;
  data?: unknown;
  packet?: SocketPacket | unknown;
  sockets?: unknown[];
  clientCount?: number;
  /** Requests of one socket, by id (older socket.io). */
  sid?: string;
  room?: Room;
}

export function toWireOptions(opts: BroadcastOptions, offset?: string): WireOptions {
  const wire: WireOptions = { rooms: [...opts.rooms], except: [...opts.except], flags: opts.flags };
  if (offset !== undefined) wire.offset = offset;
  return wire;
}

export function fromWireOptions(opts: WireOptions | undefined): BroadcastOptions {
  return { rooms: new Set(asRooms(opts?.rooms)), except: new Set(asRooms(opts?.except)), flags: opts?.flags ?? {} };
}

/** Rooms from another process: strings (numbers, which socket.io allows, become strings). */
function asRooms(rooms: unknown): Room[] {
  return Array.isArray(rooms) ? rooms.filter((room) => typeof room === 'string' || typeof room === 'number').map(String) : [];
}

export function encodeMessage(value: unknown): Buffer {
  return encode(value);
}

/** A message of Switchyard's own channels (MessagePack too, so nodes need not run the same Node.js). */
export function decodeForwardMessage(message: Buffer): ForwardMessage {
  const decoded = decode(message) as ForwardMessage | null;
  if (typeof decoded !== 'object' || decoded === null || typeof decoded.t !== 'string' || typeof decoded.id !== 'string') throw new TypeError('not a forwarding message');
  return decoded;
}

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** A broadcast message: `[uid, packet, opts]`; undefined when it is not one. */
export function decodeBroadcast(message: Buffer): [uid: unknown, packet: SocketPacket, opts: WireOptions] | undefined {
  const decoded: unknown = decode(message);
  if (!Array.isArray(decoded) || decoded.length < 3) return undefined;
  const [uid, packet, opts] = decoded as [unknown, unknown, unknown];
  if (typeof packet !== 'object' || packet === null || typeof opts !== 'object' || opts === null) return undefined;
  return [uid, packet as SocketPacket, opts as WireOptions];
}

/** A request or a response: JSON when it starts with `{`, MessagePack otherwise (as socket.io reads them). */
export function decodeRequest(message: Buffer): WireRequest | undefined {
  const decoded: unknown = message[0] === 0x7b ? JSON.parse(message.toString()) : decode(message);
  return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded) ? (decoded as WireRequest) : undefined;
}
