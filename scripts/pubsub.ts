import 'reflect-metadata';
import { OutboxEntity, PubSubBus, type SubscriptionSpec, deadLetterTopicOf, topicOf } from '@pace/events';
import type { ServiceDefinition } from '@pace/platform';
import { services } from './services';

/**
 * Pub/Sub topology from the service definitions: a topic per producing domain (a service with an
 * outbox), a subscription per consumer and topic with its dead-letter topic (and a subscription
 * on that, so dead letters are kept).
 *   node dist/scripts/pubsub.js plan        print it
 *   node dist/scripts/pubsub.js provision   create what is missing (emulator or a project), idempotent
 * Reads GOOGLE_CLOUD_PROJECT (default pace-local), PUBSUB_EMULATOR_HOST, EVENTS_NAMESPACE,
 * EVENTS_MAX_DELIVERY_ATTEMPTS (default 5). The cluster declares the same as Config Connector resources.
 */
export function topology(all: ServiceDefinition[], namespace = '', maxDeliveryAttempts = 5): { topics: string[]; subscriptions: SubscriptionSpec[] } {
  const produces = (s: ServiceDefinition) => (s.db.entities as unknown[]).includes(OutboxEntity);
  const topics = all.filter(produces).map((s) => topicOf(`${s.name}.any`, namespace));
  const subscriptions = all.flatMap((s) =>
    (s.consumes ?? []).map((domain) => {
      const topic = topicOf(`${domain}.any`, namespace);
      const name = `${namespace}${s.name}.${topic.slice(namespace.length)}`;
      return { name, topic, deadLetterTopic: deadLetterTopicOf(name), maxDeliveryAttempts };
    }),
  );
  return { topics, subscriptions };
}

async function main(): Promise<void> {
  const command = process.argv[2];
  const plan = topology(services, process.env.EVENTS_NAMESPACE ?? '', Number(process.env.EVENTS_MAX_DELIVERY_ATTEMPTS ?? 5));
  if (command === 'plan') {
    console.log(JSON.stringify(plan, null, 2));
    return;
  }
  if (command !== 'provision') throw new Error('usage: pubsub.js plan | provision');
  const bus = new PubSubBus({ projectId: process.env.GOOGLE_CLOUD_PROJECT ?? 'pace-local', ordering: false, maxStreams: 1, maxOutstanding: 1 });
  try {
    await bus.provision(plan.subscriptions, plan.topics);
    console.log(`provisioned ${plan.topics.length} topics and ${plan.subscriptions.length} subscriptions (with dead-letter topics)`);
  } finally {
    await bus.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
