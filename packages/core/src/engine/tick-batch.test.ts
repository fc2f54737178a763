import { describe, expect, it } from 'vitest';
import { TickBatch } from './tick-batch.js';

const nextTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

describe('TickBatch', () => {
  it('flushes every member added within a tick once, in order, after the code of that tick', async () => {
    const flushed: string[] = [];
    const batch = new TickBatch<string>((member) => flushed.push(member));
    batch.add('a');
    batch.add('b');
    batch.add('c');
    expect(flushed).toEqual([]);
    await nextTick();
    expect(flushed).toEqual(['a', 'b', 'c']);
    await nextTick();
    expect(flushed).toEqual(['a', 'b', 'c']);
  });

  it('flushes a member added by a flush in the same pass, and starts over on the next tick', async () => {
    const flushed: string[] = [];
    const batch = new TickBatch<string>((member) => {
      flushed.push(member);
      if (member === 'a') batch.add('a again');
    });
    batch.add('a');
    batch.add('b');
    await nextTick();
    expect(flushed).toEqual(['a', 'b', 'a again']);
    batch.add('c');
    await nextTick();
    expect(flushed).toEqual(['a', 'b', 'a again', 'c']);
  });

  it('leaves the members after a flush that threw to another pass, each flushed once', async () => {
    const flushed: string[] = [];
    const thrown: unknown[] = [];
    const batch = new TickBatch<string>((member) => {
      flushed.push(member);
      if (member === 'b') throw new Error('b failed');
    });
    // The throw leaves the nextTick callback as an uncaught exception: catch it here, not in the runner.
    process.setUncaughtExceptionCaptureCallback((err) => thrown.push(err));
    try {
      batch.add('a');
      batch.add('b');
      batch.add('c');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.setUncaughtExceptionCaptureCallback(null);
    }
    expect(thrown).toEqual([new Error('b failed')]);
    expect(flushed).toEqual(['a', 'b', 'c']);
    batch.add('d');
    await nextTick();
    expect(flushed).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the batches of different kinds apart', async () => {
    const flushed: string[] = [];
    const first = new TickBatch<string>((member) => flushed.push(`first ${member}`));
    const second = new TickBatch<string>((member) => flushed.push(`second ${member}`));
    second.add('x');
    first.add('y');
    await nextTick();
    expect(flushed).toEqual(['second x', 'first y']);
  });
});
