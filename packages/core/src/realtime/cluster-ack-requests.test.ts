import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterAckRequests } from './cluster-ack-requests.js';

describe('ClusterAckRequests', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands each node count and each ack of a request to its own callbacks, and ignores other ids', () => {
    const requests = new ClusterAckRequests();
    const counts: number[] = [];
    const acks: unknown[][] = [];
    requests.add('r1', 1000, (clients) => counts.push(clients), (args) => acks.push(args));
    requests.add('r2', 1000, () => expect.unreachable(), () => expect.unreachable());
    requests.count('r1', 2);
    requests.ack('r1', ['a']);
    requests.count('r1', 0);
    requests.ack('r1', ['b', 1]);
    requests.count('other', 5);
    requests.ack('other', ['x']);
    expect(counts).toEqual([2, 0]);
    expect(acks).toEqual([['a'], ['b', 1]]);
    expect(requests.has('r1')).toBe(true);
    requests.close();
  });

  it('forgets a request a second after its timeout: answers until then still count, later ones are dropped', () => {
    vi.useFakeTimers();
    const requests = new ClusterAckRequests();
    const acks: unknown[][] = [];
    requests.add('r1', 500, () => {}, (args) => acks.push(args));
    vi.advanceTimersByTime(1499);
    requests.ack('r1', ['late but kept']);
    expect(requests.has('r1')).toBe(true);
    vi.advanceTimersByTime(1);
    expect(requests.has('r1')).toBe(false);
    requests.ack('r1', ['dropped']);
    expect(acks).toEqual([['late but kept']]);
  });

  it('forgets every request on close, with no timer left behind', () => {
    vi.useFakeTimers();
    const requests = new ClusterAckRequests();
    const acks: unknown[][] = [];
    requests.add('r1', 1000, () => {}, (args) => acks.push(args));
    requests.add('r2', 1000, () => {}, (args) => acks.push(args));
    requests.close();
    expect(requests.has('r1') || requests.has('r2')).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    requests.ack('r1', ['dropped']);
    expect(acks).toEqual([]);
  });
});
