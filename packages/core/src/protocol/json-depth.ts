import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './char-codes.js';
import { invalidPacket } from './errors.js';

/** The nesting of JSON a decoder accepts unless told otherwise: no honest payload comes near it. */
export const DEFAULT_MAX_NESTING_DEPTH = 64;


/**
 * Throws a ProtocolError when the JSON text from `start` nests arrays and objects deeper than `max`
 * (`[]` is 1, `[[1]]` 2). Read before JSON.parse, in one pass that stops at the first level too many:
 * a value nested 100,000 deep parses fine but overflows the stack of whatever walks it (JSON.stringify when a
 * handler echoes it).
 */
export function checkNestingDepth(text: string, start: number, max: number): void {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) throw invalidPacket(`JSON nested deeper than ${max} levels (maxNestingDepth)`);
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
}

/**
 * The same bound for a value a custom parser decoded (it never was JSON text here): walked without recursion,
 * stopping at the first level too many.
 */
export function checkValueDepth(value: unknown, max: number): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null || ArrayBuffer.isView(node) || node instanceof ArrayBuffer) continue;
    if (depth + 1 > max) throw invalidPacket(`data nested deeper than ${max} levels (maxNestingDepth)`);
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
}

/** Checks an option's value: a positive integer. */
export function nestingDepthOption(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_NESTING_DEPTH;
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`option maxNestingDepth must be a positive integer, got ${String(value)}`);
  return value;
}
