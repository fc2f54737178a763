import { describe, expect, it } from 'vitest';
import { NamespaceSockets } from './namespace-sockets.js';

describe('NamespaceSockets', () => {
  it('answers as a Map would, through one socket, a second, and back', () => {
    const sockets = new NamespaceSockets<string>();
    expect([sockets.size, sockets.get('/'), sockets.has('/'), [...sockets.values()]]).toEqual([0, undefined, false, []]);
    sockets.set('/', 'a');
    expect([sockets.size, sockets.get('/'), sockets.has('/'), sockets.has('/chat'), [...sockets.values()]]).toEqual([1, 'a', true, false, ['a']]);
    sockets.set('/', 'a2');
    expect([sockets.size, [...sockets.values()]]).toEqual([1, ['a2']]);
    sockets.set('/chat', 'b');
    expect([sockets.size, sockets.get('/'), sockets.get('/chat'), [...sockets.values()]]).toEqual([2, 'a2', 'b', ['a2', 'b']]);
    expect(sockets.delete('/')).toBe(true);
    expect(sockets.delete('/')).toBe(false);
    expect([sockets.size, sockets.has('/'), [...sockets.values()]]).toEqual([1, false, ['b']]);
    sockets.clear();
    expect([sockets.size, [...sockets.values()]]).toEqual([0, []]);
    sockets.set('/admin', 'c');
    expect(sockets.delete('/other')).toBe(false);
    expect(sockets.delete('/admin')).toBe(true);
    expect(sockets.size).toBe(0);
  });
});
