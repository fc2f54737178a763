import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { compactListenerTable, dropListenerTable } from './listener-table.js';

describe.each([
  ['compact', compactListenerTable],
  ['dropped', dropListenerTable],
])('an emitter whose listener table is %s', (_name, prepare) => {
  it('behaves as an untouched emitter: on, once, off, emit, eventNames, listenerCount, removeAllListeners', () => {
    const emitter = new EventEmitter();
    prepare(emitter);
    const heard: string[] = [];
    expect(emitter.emit('toString')).toBe(false);
    expect(emitter.listenerCount('constructor')).toBe(0);
    expect(emitter.eventNames()).toEqual([]);
    const a = (v: string) => heard.push(`a ${v}`);
    emitter.on('x', a);
    emitter.once('x', (v: string) => heard.push(`once ${v}`));
    emitter.on('y', (v: string) => heard.push(`y ${v}`));
    expect(emitter.eventNames()).toEqual(['x', 'y']);
    emitter.emit('x', '1');
    emitter.emit('x', '2');
    emitter.off('x', a);
    emitter.emit('x', '3');
    emitter.emit('y', '4');
    expect(heard).toEqual(['a 1', 'once 1', 'a 2', 'y 4']);
    expect(emitter.listenerCount('x')).toBe(0);
    emitter.removeAllListeners();
    expect(emitter.eventNames()).toEqual([]);
    expect(() => emitter.emit('error', new Error('unheard'))).toThrow('unheard');
  });

  it('leaves an emitter that already has listeners as it is', () => {
    const emitter = new EventEmitter();
    const listener = () => {};
    emitter.on('x', listener);
    prepare(emitter);
    expect(emitter.listeners('x')).toEqual([listener]);
  });
});
