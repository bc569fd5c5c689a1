import { PubSub } from '@google-cloud/pubsub';
import { PubSubBus } from '@pace/events';
import { testBusEnv } from '@pace/testing';
import { topology } from '../../../scripts/pubsub';
import { services } from '../../../scripts/services';

describe('Pub/Sub provisioning from the service definitions', () => {
  it('creates every topic, subscription and dead-letter topic, and can run again', async () => {
    const namespace = testBusEnv().EVENTS_NAMESPACE;
    const plan = topology(services, namespace, 7);
    expect(plan.topics).toContain(`${namespace}pace.applicants.v1`);
    expect(plan.subscriptions.map((s) => s.name)).toContain(`${namespace}telephony.pace.applicants.v1`);

    const bus = new PubSubBus({ projectId: 'pace-test', ordering: false, maxStreams: 1, maxOutstanding: 1 });
    await bus.provision(plan.subscriptions, plan.topics);
    await bus.provision(plan.subscriptions, plan.topics); // idempotent
    await bus.close();

    const pubsub = new PubSub({ projectId: 'pace-test' });
    try {
      for (const topic of plan.topics) expect((await pubsub.topic(topic).exists())[0]).toBe(true);
      for (const spec of plan.subscriptions) {
        const [metadata] = await pubsub.subscription(spec.name).getMetadata();
        expect(metadata.topic).toMatch(new RegExp(`/topics/${spec.topic.replace(/\./g, '\\.')}$`));
        expect(metadata.deadLetterPolicy?.deadLetterTopic).toMatch(new RegExp(`/topics/${spec.deadLetterTopic.replace(/\./g, '\\.')}$`));
        expect(metadata.deadLetterPolicy?.maxDeliveryAttempts).toBe(7);
        // Dead letters are kept: a subscription listens on each dead-letter topic.
        expect((await pubsub.subscription(spec.deadLetterTopic).exists())[0]).toBe(true);
      }
    } finally {
      await pubsub.close();
    }
  });
});
