/**
 * Binary attachments of Socket.IO packets, both ways: the encoder swaps each binary value for a
 * `{"_placeholder":true,"num":i}` object and sends the bytes apart; the decoder finds those placeholders
 * so the bytes can be put back once they have arrived.
 */
import { invalidPacket } from './errors.js';

/** Walks over data trust it to be acyclic down to this depth, and track their path below it. */
const CYCLE_CHECK_DEPTH = 32;

type BinaryValue = ArrayBuffer | ArrayBufferView;
type Path = Set<object> | undefined;

function isBinary(value: object): value is BinaryValue {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Buffer over the same memory where possible. */
function toBuffer(value: BinaryValue): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** The object JSON.stringify would walk into for `value` (after `toJSON`), or undefined when there is none. */
function jsonNode(value: unknown, key: string | number): object | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (isBinary(value)) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON !== 'function') return value;
  const result: unknown = toJSON.call(value, String(key));
  return typeof result === 'object' && result !== null ? result : undefined;
}

/** Records `node` on the current path once deep enough to suspect a cycle; throws like JSON.stringify on one. */
function enter(node: object, depth: number, path: Path): Path {
  if (depth < CYCLE_CHECK_DEPTH) return path;
  path ??= new Set();
  if (path.has(node)) throw new TypeError('Converting circular structure to JSON');
  path.add(node);
  return path;
}

/**
 * Whether `value` is or holds (in arrays and objects, at any depth, after `toJSON`) a binary value: a Buffer,
 * an ArrayBuffer, or any ArrayBuffer view (typed arrays, DataView). Stops at the first one found.
 */
export function hasBinary(value: unknown): boolean {
  return containsBinary(value, '', 0, undefined);
}

function containsBinary(value: unknown, key: string | number, depth: number, path: Path): boolean {
  const node = jsonNode(value, key);
  if (node === undefined) return false;
  if (isBinary(node)) return true;
  const inner = enter(node, depth, path);
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      if (containsBinary(node[i], i, depth + 1, inner)) return true;
    }
  } else {
    for (const k of Object.keys(node)) {
      if (containsBinary((node as Record<string, unknown>)[k], k, depth + 1, inner)) return true;
    }
  }
  inner?.delete(node);
  return false;
}

/**
 * Replaces every binary value in `data` with a placeholder, appending its bytes to `buffers` in depth-first
 * order (the order JSON.stringify visits). Copies only the containers on the way to a binary value and
 * never changes `data`.
 */
export function replaceBinary(data: unknown, buffers: Buffer[]): unknown {
  return replace(data, '', buffers, 0, undefined);
}

/** Returns `value` itself when nothing under it is binary. */
function replace(value: unknown, key: string | number, buffers: Buffer[], depth: number, path: Path): unknown {
  const node = jsonNode(value, key);
  if (node === undefined) return value;
  if (isBinary(node)) {
    buffers.push(toBuffer(node));
    return { _placeholder: true, num: buffers.length - 1 };
  }
  const inner = enter(node, depth, path);
  let copy: unknown;
  if (Array.isArray(node)) {
    let items: unknown[] | undefined;
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      const out = replace(item, i, buffers, depth + 1, inner);
      if (items === undefined && !Object.is(out, item)) items = node.slice(0, i);
      items?.push(out);
    }
    copy = items;
  } else {
    const source = node as Record<string, unknown>;
    const keys = Object.keys(source);
    let fields: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const out = replace(source[k], k, buffers, depth + 1, inner);
      if (fields === undefined && !Object.is(out, source[k])) {
        fields = Object.create(null) as Record<string, unknown>; // a '__proto__' key stays a plain key
        for (let j = 0; j < i; j++) fields[keys[j]!] = source[keys[j]!];
      }
      if (fields !== undefined) fields[k] = out;
    }
    copy = fields;
  }
  inner?.delete(node);
  return copy ?? value;
}

/** Where attachment `num` goes: `container[key]`. */
export interface AttachmentSlot {
  container: object;
  key: string | number;
}

/** Puts attachment `i` in place of placeholder `i`; `slots` comes from {@link findPlaceholders}. */
export function restoreBinary(slots: readonly AttachmentSlot[], buffers: readonly Buffer[]): void {
  for (let num = 0; num < slots.length; num++) {
    const { container, key } = slots[num]!;
    (container as Record<string | number, unknown>)[key] = buffers[num];
  }
}

/**
 * Finds the placeholders of a binary packet without recursion (the data may be nested arbitrarily deep).
 * Each attachment must be referenced exactly once; returns where each one goes, indexed by `num`.
 */
export function findPlaceholders(root: unknown[], count: number): AttachmentSlot[] {
  const slots: AttachmentSlot[] = [];
  const stack: object[] = [root];
  let found = 0;
  const visit = (container: object, key: string | number, child: unknown): void => {
    if (typeof child !== 'object' || child === null) return;
    if (!isPlainObject(child) || child['_placeholder'] !== true) {
      stack.push(child);
      return;
    }
    const num = child['num'];
    if (typeof num !== 'number' || !Number.isInteger(num) || num < 0 || num >= count) {
      throw invalidPacket(`placeholder num ${JSON.stringify(num)} outside [0, ${count})`);
    }
    if (Object.keys(child).length !== 2) throw invalidPacket('placeholder with extra fields');
    if (slots[num] !== undefined) throw invalidPacket(`attachment ${num} referenced twice`);
    slots[num] = { container, key };
    found++;
  };
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(node, i, node[i]);
    } else {
      for (const key of Object.keys(node)) visit(node, key, (node as Record<string, unknown>)[key]);
    }
  }
  if (found !== count) throw invalidPacket(`${count} attachments announced, ${found} placeholders found`);
  return slots;
}
