import { describe, expect, it } from 'vitest';
import { generateSessionId } from './session-id.js';

describe('generateSessionId', () => {
  it('makes 20 characters of [A-Za-z0-9_-], as engine.io does: what @socket.io/sticky routes by (/sid=([\\w-]{20})/)', () => {
    const ids = Array.from({ length: 1000 }, () => generateSessionId());
    for (const id of ids) expect(id).toMatch(/^[\w-]{20}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
