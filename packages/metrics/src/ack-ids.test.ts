import { describe, expect, it } from 'vitest';
import { answeredAck, answeredLegacyAck, askedAck, askedLegacyAck } from './ack-ids.js';

describe('the acks of Socket.IO packets (Engine.IO sessions)', () => {
  it('reads the namespace and id of an event asking for an ack, plain or binary', () => {
    expect(askedAck('217["ping",1]')).toBe('/#17');
    expect(askedAck('2/chat,3["ping"]')).toBe('/chat#3');
    expect(askedAck('51-9[{"_placeholder":true,"num":0}]')).toBe('/#9');
    expect(askedAck('52-/chat,12["file",{}]')).toBe('/chat#12');
  });

  it('reads the answer to one, plain or binary', () => {
    expect(answeredAck('317[2]')).toBe('/#17');
    expect(answeredAck('3/chat,3[]')).toBe('/chat#3');
    expect(answeredAck('61-/chat,12[{}]')).toBe('/chat#12');
  });

  it('finds none in events without an id, other packets and binary attachments', () => {
    expect(askedAck('2["ping"]')).toBeUndefined();
    expect(askedAck('2/chat,["ping"]')).toBeUndefined();
    expect(askedAck('0/chat')).toBeUndefined();
    expect(askedAck('317[2]')).toBeUndefined(); // an ack is not an event
    expect(answeredAck('217["ping"]')).toBeUndefined();
    expect(askedAck(Buffer.from('217'))).toBeUndefined();
    expect(askedAck(undefined)).toBeUndefined();
  });
});

describe('the acks of 0.9 packets', () => {
  it('reads the endpoint and id of an event or message asking for an ack', () => {
    expect(askedLegacyAck('5:17+::{"name":"ping","args":[1]}')).toBe('#17');
    expect(askedLegacyAck('5:4+:/chat:{"name":"ping"}')).toBe('/chat#4');
    expect(askedLegacyAck('3:2::hello')).toBe('#2');
  });

  it('reads the answer to one', () => {
    expect(answeredLegacyAck('6:::17+[2]')).toBe('#17');
    expect(answeredLegacyAck('6::/chat:4')).toBe('/chat#4');
  });

  it('finds none in packets without an id and in other types', () => {
    expect(askedLegacyAck('5:::{"name":"ping"}')).toBeUndefined();
    expect(askedLegacyAck('2::')).toBeUndefined();
    expect(askedLegacyAck('6:::17+[2]')).toBeUndefined();
    expect(answeredLegacyAck('5:17+::{}')).toBeUndefined();
    expect(answeredLegacyAck('6:::')).toBeUndefined();
  });
});
