import { strictEqual } from 'node:assert/strict';
import { describe, it } from 'vitest';
import { sessionIdOf } from './session-router.js';

describe('sessionIdOf', () => {
  const path = '/socket.io/';

  it('reads ?sid= (Engine.IO v3 and v4)', () => {
    strictEqual(sessionIdOf('/socket.io/?EIO=4&transport=polling&sid=abc.DEF', path), 'abc.DEF');
    strictEqual(sessionIdOf('/socket.io/?EIO=3&transport=websocket&sid=x%2Ey&b64=1', path), 'x.y');
    strictEqual(sessionIdOf('/socket.io/?EIO=4&transport=polling&sid=', path), undefined);
    strictEqual(sessionIdOf('/socket.io/?EIO=4&transport=polling', path), undefined);
  });

  it('reads the 0.9 protocol paths', () => {
    strictEqual(sessionIdOf('/socket.io/1/xhr-polling/s1d?t=1', path), 's1d');
    strictEqual(sessionIdOf('/socket.io/1//s1d?disconnect', path), 's1d');
    strictEqual(sessionIdOf('/socket.io/1/s1d', path), 's1d');
    strictEqual(sessionIdOf('/socket.io/1/?t=123', path), undefined);
    strictEqual(sessionIdOf('/socket.io/1/a/b/c', path), undefined);
  });
});
