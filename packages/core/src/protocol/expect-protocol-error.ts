// Test support for the codec unit tests (not exported by the package).
import { expect } from 'vitest';
import { ProtocolError, ProtocolErrorCode, SwitchyardError } from './errors.js';

/**
 * Runs `run` and checks that it threw a ProtocolError with `code` — that class exactly, nothing else —
 * and returns its message.
 */
export function expectProtocolError(run: () => unknown, code: ProtocolErrorCode = ProtocolErrorCode.INVALID_PACKET): string {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect(caught).toBeInstanceOf(SwitchyardError);
  expect((caught as object).constructor).toBe(ProtocolError);
  expect((caught as ProtocolError).code).toBe(code);
  return (caught as ProtocolError).message;
}
