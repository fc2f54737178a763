import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, DIGIT_NINE, DIGIT_ZERO, LOWER_E, OPEN_BRACE, OPEN_BRACKET, QUOTE, UPPER_E } from './char-codes.js';
import { invalidPacket } from './errors.js';

/** The nesting of JSON a decoder accepts unless told otherwise: no honest payload comes near it. */
export const DEFAULT_MAX_NESTING_DEPTH = 64;


/**
 * Throws a ProtocolError when the JSON text from `start` nests arrays and objects deeper than `max`
 * (`[]` is 1, `[[1]]` 2). Read before JSON.parse, in one pass that stops at the first level too many:
 * a value nested 100,000 deep parses fine but overflows the stack of whatever walks it (JSON.stringify when a
 * handler echoes it).
 *
 * Returns whether the text holds a number JSON.parse may overflow to ±Infinity (one with an exponent, or more
 * digits in a row than a double's range has): only then does the parsed value need `checkFiniteNumbers`.
 */
export function checkNestingDepth(text: string, start: number, max: number): boolean {
  let depth = 0;
  let digits = 0;
  let mayOverflow = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= DIGIT_ZERO && c <= DIGIT_NINE) {
      if (++digits > MAX_PLAIN_DIGITS) mayOverflow = true;
      continue;
    }
    if ((c === LOWER_E || c === UPPER_E) && digits > 0) mayOverflow = true;
    digits = 0;
    if (c === QUOTE) {
      // Most of a payload's text is in strings: jump to the closing quote (indexOf is much faster than a
      // loop over the characters). An unterminated string ends the scan; JSON.parse refuses it.
      i = closingQuote(text, i);
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) throw invalidPacket(`JSON nested deeper than ${max} levels (maxNestingDepth)`);
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
  return mayOverflow;
}

/** Where the string opened at `open` ends: the next quote after it that an odd run of backslashes does not escape. */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let k = end - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--; // stops at the opening quote at the latest
    if ((end - 1 - k) % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

/** Digits in a row a number without exponent may have and still be finite (a double ends near 1.8e308). */
const MAX_PLAIN_DIGITS = 308;

/**
 * Throws a ProtocolError when JSON.parse turned a number of `value` into ±Infinity (`1e999`; NaN it never
 * makes). JSON has no such number, JSON.stringify writes it back as null, and a handler looping up to it
 * never ends: the packet is refused as invalid rather than handed on. Walked without recursion.
 */
export function checkFiniteNumbers(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) throw invalidPacket('a JSON number out of range (it parses to ±Infinity)');
    } else if (typeof node === 'object' && node !== null) {
      for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push(child);
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
