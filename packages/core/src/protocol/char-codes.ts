/** The UTF-16 code units the text codecs look for with `charCodeAt`. */
export const QUOTE = 0x22; // "
export const PLUS = 0x2b; // +
export const DASH = 0x2d; // -
export const SLASH = 0x2f; // /
export const DIGIT_ZERO = 0x30; // 0
export const DIGIT_NINE = 0x39; // 9
export const UPPER_E = 0x45; // E
export const OPEN_BRACKET = 0x5b; // [
export const BACKSLASH = 0x5c; // \
export const CLOSE_BRACKET = 0x5d; // ]
export const LOWER_E = 0x65; // e
export const OPEN_BRACE = 0x7b; // {
export const CLOSE_BRACE = 0x7d; // }

/**
 * The decimal number written in `text` from `start` to `end`, or -1 unless that is 1 to `maxDigits`
 * digits (`maxDigits` at most 15 keeps it a safe integer). Reads in place, allocating nothing.
 */
export function readDecimal(text: string, start: number, end: number, maxDigits: number): number {
  if (end <= start || end - start > maxDigits) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - DIGIT_ZERO;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}
