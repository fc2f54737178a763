// The owner's answers to forwarded requests reach a requester that was briefly not listening, in order.
import { deepStrictEqual } from 'node:assert/strict';
import { describe, it } from 'vitest';
import { InOrderDelivery } from '../src/in-order-delivery.js';
import type { ForwardMessage } from '../src/forward-messages.js';
import { until } from './cluster-harness.js';

type Answer = Extract<ForwardMessage, { t: 'response' }>;

const part = (id: string, text: string, end = false): Answer => ({ t: 'response', id, chunks: [Buffer.from(text)], end });

/** A channel whose listener is away for the first `away` publishes. */
function channel(away: number): { heard: string[]; published: number; publish(target: string, message: Answer): Promise<number> } {
  const state = {
    heard: [] as string[],
    published: 0,
    publish(_target: string, message: Answer): Promise<number> {
      state.published++;
      if (state.published <= away) return Promise.resolve(0);
      state.heard.push(`${message.id}:${message.chunks.map(String).join('')}`);
      return Promise.resolve(1);
    },
  };
  return state;
}

describe('InOrderDelivery', () => {
  it('sends again what nobody heard, and what follows waits for it', async () => {
    const requester = channel(2);
    const gaveUp: string[] = [];
    const answers = new InOrderDelivery({ publish: requester.publish, countsReceivers: () => true, giveUpAfter: 5000, retryMs: 10, onGiveUp: (id) => gaveUp.push(id), onError: () => {} });
    answers.send('node', part('a', 'head'));
    answers.send('node', part('a', 'body'));
    answers.send('node', part('a', 'end', true));
    await until(() => requester.heard.length === 3, 'every part to be heard');
    deepStrictEqual(requester.heard, ['a:head', 'a:body', 'a:end']);
    deepStrictEqual(requester.published, 5);
    deepStrictEqual(gaveUp, []);
  });

  it('gives up after giveUpAfter when nobody listens (the requester is gone)', async () => {
    const requester = channel(Infinity);
    const gaveUp: string[] = [];
    const answers = new InOrderDelivery({ publish: requester.publish, countsReceivers: () => true, giveUpAfter: 100, retryMs: 10, onGiveUp: (id) => gaveUp.push(id), onError: () => {} });
    answers.send('node', part('b', 'head'));
    answers.send('node', part('b', 'end', true));
    await until(() => gaveUp.length > 0, 'the delivery to give up');
    deepStrictEqual(gaveUp, ['b']);
    const published = requester.published;
    // Nothing more is sent for it, and a later request starts afresh.
    answers.send('node', part('c', 'x', true));
    await until(() => requester.published > published, 'the next answer to be tried');
    answers.close();
  });

  it('sends once where receivers are not counted (classic pub/sub on a Redis Cluster)', async () => {
    const requester = channel(1);
    const answers = new InOrderDelivery({ publish: requester.publish, countsReceivers: () => false, giveUpAfter: 5000, retryMs: 10, onGiveUp: () => {}, onError: () => {} });
    answers.send('node', part('d', 'one'));
    answers.send('node', part('d', 'two', true));
    await until(() => requester.published === 2, 'both parts to be sent');
    deepStrictEqual(requester.heard, ['d:two']);
  });
});
