import { describe, expect, it } from 'vitest';
import { ClusterRequests, newRequestId } from './cluster-requests.js';
import { RealtimeError, RealtimeErrorCode } from './errors.js';

describe('ClusterRequests', () => {
  it('resolves with one answer per node, in the order they came, once the last one is in', async () => {
    const requests = new ClusterRequests();
    let sent = 0;
    const answers = requests.wait('r1', 2, 1000, () => sent++);
    expect(sent).toBe(1);
    requests.collect('r1', 'b');
    expect(requests.has('r1')).toBe(true);
    requests.collect('r1', 'a');
    await expect(answers).resolves.toEqual(['b', 'a']);
    expect(requests.has('r1')).toBe(false);
    // A late answer, or one to a request nobody made, is dropped.
    requests.collect('r1', 'c');
    requests.collect('other', 'x');
  });

  it('resolves at once with no answers, sending nothing, when no other node is there', async () => {
    const requests = new ClusterRequests();
    let sent = 0;
    await expect(requests.wait('r1', 0, 1000, () => sent++)).resolves.toEqual([]);
    expect(sent).toBe(0);
  });

  it('rejects with ERR_REALTIME_CLUSTER_TIMEOUT, naming how many answered, when not every node answers in time', async () => {
    const requests = new ClusterRequests();
    const answers = requests.wait('r1', 3, 20, () => {});
    requests.collect('r1', 'a');
    const err = await answers.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RealtimeError);
    expect(err).toMatchObject({ code: RealtimeErrorCode.CLUSTER_TIMEOUT, message: 'timeout reached: only 1 responses received out of 3' });
    expect(requests.has('r1')).toBe(false);
  });

  it('rejects every waiting request with ERR_REALTIME_ADAPTER_CLOSED on close', async () => {
    const requests = new ClusterRequests();
    const first = requests.wait('r1', 1, 1000, () => {});
    const second = requests.wait('r2', 2, 1000, () => {});
    requests.close();
    await expect(first).rejects.toMatchObject({ code: RealtimeErrorCode.ADAPTER_CLOSED });
    await expect(second).rejects.toMatchObject({ code: RealtimeErrorCode.ADAPTER_CLOSED });
    expect(requests.has('r1') || requests.has('r2')).toBe(false);
  });

  it('makes fresh request ids of 16 hex digits', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newRequestId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });
});
