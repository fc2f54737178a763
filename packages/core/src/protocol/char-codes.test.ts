import { describe, expect, it } from 'vitest';
import { readDecimal } from './char-codes.js';

describe('readDecimal', () => {
  it('reads the digits between start and end, in place', () => {
    expect(readDecimal('12:4hello', 0, 2, 15)).toBe(12);
    expect(readDecimal('5:17+:/chat', 2, 4, 15)).toBe(17);
    expect(readDecimal('0', 0, 1, 1)).toBe(0);
    expect(readDecimal('007', 0, 3, 3)).toBe(7);
    expect(readDecimal('999999999999999', 0, 15, 15)).toBe(999_999_999_999_999);
  });

  it('is -1 for no digits, more than maxDigits, or anything but a digit', () => {
    expect(readDecimal('12', 1, 1, 15)).toBe(-1);
    expect(readDecimal('12', 2, 1, 15)).toBe(-1);
    expect(readDecimal('1234', 0, 4, 3)).toBe(-1);
    for (const text of ['1a', '-1', '+1', '1.5', ' 1', '1 ', '/1', ':1', '\uff11']) expect(readDecimal(text, 0, text.length, 15)).toBe(-1);
  });
});
