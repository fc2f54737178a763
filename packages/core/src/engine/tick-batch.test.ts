import { describe, expect, it } from 'vitest';
import { TickBatch } from './tick-batch.js';

const nextTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

/** A batch of named members that records each flush, then does `also` (if given) with the batch. */
function recordingBatch(also?: (member: string, batch: TickBatch<string>) => void): { batch: TickBatch<string>; flushed: string[] } {
  const flushed: string[] = [];
  const batch: TickBatch<string> = new TickBatch((member) => {
    flushed.push(member);
    also?.(member, batch);
  });
  return { batch, flushed };
}

/** Adds each member to `batch`, in order. */
function addAll(batch: TickBatch<string>, ...members: string[]): void {
  for (const member of members) batch.add(member);
}

describe('TickBatch', () => {
  it('flushes every member added within a tick once, in order, after the code of that tick', async () => {
    const { batch, flushed } = recordingBatch();
    addAll(batch, 'a', 'b', 'c');
    expect(flushed).toEqual([]);
    await nextTick();
    expect(flushed).toEqual(['a', 'b', 'c']);
    await nextTick();
    expect(flushed).toEqual(['a', 'b', 'c']);
  });

  it('flushes a member added by a flush in the same pass, and starts over on the next tick', async () => {
    const { batch, flushed } = recordingBatch((member, self) => {
      if (member === 'a') self.add('a again');
    });
    addAll(batch, 'a', 'b');
    await nextTick();
    expect(flushed).toEqual(['a', 'b', 'a again']);
    batch.add('c');
    await nextTick();
    expect(flushed).toEqual(['a', 'b', 'a again', 'c']);
  });

  it('leaves the members after a flush that threw to another pass, each flushed once', async () => {
    const thrown: unknown[] = [];
    const { batch, flushed } = recordingBatch((member) => {
      if (member === 'b') throw new Error('b failed');
    });
    // The throw leaves the nextTick callback as an uncaught exception: caught here, not by the runner.
    process.setUncaughtExceptionCaptureCallback((err) => thrown.push(err));
    try {
      addAll(batch, 'a', 'b', 'c');
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
    const first = recordingBatch();
    const second = recordingBatch();
    second.batch.add('x');
    first.batch.add('y');
    await nextTick();
    expect(first.flushed).toEqual(['y']);
    expect(second.flushed).toEqual(['x']);
  });
});
