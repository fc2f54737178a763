import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineEntry, DeadlineQueue } from './deadline-queue.js';
import { Heartbeat } from './heartbeat.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});

afterEach(() => {
  vi.useRealTimers();
});

/** A queue that records which items fell due, and when. */
function recordingQueue(): { queue: DeadlineQueue<string>; due: Array<[string, number]> } {
  const due: Array<[string, number]> = [];
  const queue = new DeadlineQueue<string>((entry) => due.push([entry.item, performance.now()]));
  return { queue, due };
}

describe('DeadlineQueue', () => {
  it('hands items over at their deadlines, in deadline order, on one timer', () => {
    const { queue, due } = recordingQueue();
    const t = performance.now();
    queue.add(new DeadlineEntry('a'), t + 100);
    queue.add(new DeadlineEntry('b'), t + 100);
    queue.add(new DeadlineEntry('c'), t + 250);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(due).toEqual([['a', t + 100], ['b', t + 100]]);
    vi.advanceTimersByTime(150);
    expect(due.map(([item]) => item)).toEqual(['a', 'b', 'c']);
    expect(due[2]![1]).toBe(t + 250);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('puts an earlier deadline in its place and moves a re-added entry', () => {
    const { queue, due } = recordingQueue();
    const t = performance.now();
    const a = new DeadlineEntry('a');
    queue.add(a, t + 300);
    queue.add(new DeadlineEntry('b'), t + 200);
    queue.add(new DeadlineEntry('c'), t + 100);
    queue.add(a, t + 150);
    vi.advanceTimersByTime(300);
    expect(due).toEqual([['c', t + 100], ['a', t + 150], ['b', t + 200]]);
  });

  it('forgets deleted entries and stops its timer once empty', () => {
    const { queue, due } = recordingQueue();
    const t = performance.now();
    const a = new DeadlineEntry('a');
    const b = new DeadlineEntry('b');
    queue.add(a, t + 100);
    queue.add(b, t + 200);
    queue.delete(a);
    expect(a.queue).toBeUndefined();
    expect(vi.getTimerCount()).toBe(1);
    queue.delete(b);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(500);
    expect(due).toEqual([]);
  });

  it('takes an entry out of the queue it was in', () => {
    const first = recordingQueue();
    const second = recordingQueue();
    const t = performance.now();
    const entry = new DeadlineEntry('x');
    first.queue.add(entry, t + 100);
    second.queue.add(entry, t + 200);
    expect(entry.queue).toBe(second.queue);
    vi.advanceTimersByTime(200);
    expect(first.due).toEqual([]);
    expect(second.due).toEqual([['x', t + 200]]);
  });

  it('keeps waiting for the rest when onDue throws', () => {
    const seen: string[] = [];
    const queue = new DeadlineQueue<string>((entry) => {
      seen.push(entry.item);
      if (entry.item === 'bad') throw new Error('listener failed');
    });
    const t = performance.now();
    queue.add(new DeadlineEntry('bad'), t + 10);
    queue.add(new DeadlineEntry('good'), t + 10);
    expect(() => vi.advanceTimersByTime(10)).toThrow('listener failed');
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['bad', 'good']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('Heartbeat', () => {
  function beat(): { heartbeat: Heartbeat<string>; log: string[] } {
    const log: string[] = [];
    const heartbeat = new Heartbeat<string>({
      interval: 300,
      timeout: 200,
      ping: (member) => log.push(`ping ${member} @${performance.now()}`),
      expire: (member) => log.push(`expire ${member} @${performance.now()}`),
    });
    return { heartbeat, log };
  }

  it('pings every interval while pongs come back, and expires a member that stops answering', () => {
    const { heartbeat, log } = beat();
    const t = performance.now();
    const entry = heartbeat.start('s');
    vi.advanceTimersByTime(300);
    expect(log).toEqual([`ping s @${t + 300}`]);
    vi.advanceTimersByTime(50);
    heartbeat.pong(entry); // next ping 300 ms after the pong
    vi.advanceTimersByTime(299);
    expect(log).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(log[1]).toBe(`ping s @${t + 650}`);
    expect(entry.deadline).toBe(t + 850); // the pong is due a timeout after the ping was
    expect(heartbeat.expired(entry)).toBe(false);
    vi.advanceTimersByTime(199);
    expect(log).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(log[2]).toBe(`expire s @${t + 850}`);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores a pong nobody asked for and forgets a stopped member', () => {
    const { heartbeat, log } = beat();
    const entry = heartbeat.start('s');
    vi.advanceTimersByTime(100);
    heartbeat.pong(entry); // not pinged yet: the first ping stays due at 300
    vi.advanceTimersByTime(200);
    expect(log).toHaveLength(1);
    heartbeat.stop(entry);
    vi.advanceTimersByTime(1000);
    expect(log).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('expects a member that pings by itself (v3) within interval + timeout, again after each ping', () => {
    const { heartbeat, log } = beat();
    const t = performance.now();
    const entry = heartbeat.watch('s');
    vi.advanceTimersByTime(400);
    heartbeat.pinged(entry); // due again at t + 900
    heartbeat.pong(entry); // a pong means nothing for such a member
    vi.advanceTimersByTime(499);
    expect(log).toEqual([]);
    expect(heartbeat.expired(entry)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(log).toEqual([`expire s @${t + 900}`]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
