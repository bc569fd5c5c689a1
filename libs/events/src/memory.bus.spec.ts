import { InProcessBus, topicOf } from '@pace/events';

const spec = (name: string, max = 3) => ({ name, topic: 't.pace.a.v1', deadLetterTopic: `${name}.dlq`, maxDeliveryAttempts: max });
const message = (id: string) => ({ topic: 't.pace.a.v1', data: `{"id":"${id}"}`, attributes: { type: 'a.b.v1', eventId: id } });

describe('InProcessBus (the bus of npm start)', () => {
  it('delivers to every subscription of a topic and resolves publish only once all acknowledged', async () => {
    const bus = new InProcessBus({ minMs: 1, maxMs: 5 });
    const seen: string[] = [];
    await bus.subscribe(spec('one'), async (m) => (seen.push(`one:${m.data}`), 'ack'));
    await bus.subscribe(spec('two'), async (m) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.push(`two:${m.data}`);
      return 'ack';
    });
    const [result] = await bus.publish([message('e1')]);
    expect(result.status).toBe('fulfilled');
    expect(seen.sort()).toEqual(['one:{"id":"e1"}', 'two:{"id":"e1"}']);
  });

  it('redelivers a nacked message with a growing attempt count, then dead-letters it', async () => {
    const bus = new InProcessBus({ minMs: 1, maxMs: 5 });
    const attempts: number[] = [];
    await bus.subscribe(spec('flaky', 3), async (m) => (attempts.push(m.deliveryAttempt), 'nack'));
    await bus.publish([message('e2')]);
    expect(attempts).toEqual([1, 2, 3]);
    expect(bus.deadLetters).toEqual([{ subscription: 'flaky', message: message('e2') }]);
  });

  it('keeps messages for a subscription until its handler attaches, and holds publishing until opened', async () => {
    const bus = new InProcessBus({ minMs: 1, maxMs: 5 });
    await bus.provision([spec('late')], []);
    bus.hold();
    let published = false;
    const publishing = bus.publish([message('e3')]).then(() => (published = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(published).toBe(false);
    bus.open();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(published).toBe(false); // no handler yet: the message waits in the subscription
    const got: string[] = [];
    await bus.subscribe(spec('late'), async (m) => (got.push(m.data), 'ack'));
    await publishing;
    expect(got).toEqual(['{"id":"e3"}']);
  });
});

describe('topicOf', () => {
  it('maps an event type to its domain topic, with the namespace', () => {
    expect(topicOf('applicants.applicant-created.v1')).toBe('pace.applicants.v1');
    expect(topicOf('listings.listing-published.v2', 'tabc.')).toBe('tabc.pace.listings.v1');
    expect(() => topicOf('Not An Event')).toThrow(/is not an event type/);
  });
});
