import { Logger } from '@nestjs/common';
import { type Message, PubSub, type Subscription, type Topic } from '@google-cloud/pubsub';
import type { BusMessage, DeliveredMessage, EventBus, Outcome, SubscriptionSpec } from './bus';

export interface PubSubBusOptions {
  projectId: string;
  /** Publish with the aggregate id as ordering key (needs ordering-enabled subscriptions to matter). */
  ordering: boolean;
  /** Streaming pulls per subscription (one caps near 1,850 msgs/s on the emulator). */
  maxStreams: number;
  /** Messages held unacknowledged per subscription at once. */
  maxOutstanding: number;
}

const ALREADY_EXISTS = 6;

/** Google Cloud Pub/Sub through the official client (the emulator when PUBSUB_EMULATOR_HOST is set). */
export class PubSubBus implements EventBus {
  readonly kind = 'pubsub';
  private readonly client: PubSub;
  private readonly topics = new Map<string, Topic>();
  private readonly logger = new Logger('pubsub');

  constructor(private readonly options: PubSubBusOptions) {
    this.client = new PubSub({ projectId: options.projectId });
  }

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = this.client.topic(name, {
        messageOrdering: this.options.ordering,
        batching: { maxMessages: 1000, maxMilliseconds: 10 },
      });
      this.topics.set(name, topic);
    }
    return topic;
  }

  /**
   * One promise for the whole batch: each message reports through the client's callback, where its
   * promise form would cost a promise per message, and Promise.allSettled another — a relay batch
   * is a thousand messages, and with AsyncLocalStorage active every promise runs Node's async hooks.
   */
  publish(messages: BusMessage[]): Promise<PromiseSettledResult<unknown>[]> {
    if (!messages.length) return Promise.resolve([]);
    return new Promise((resolve) => {
      const results = new Array<PromiseSettledResult<unknown>>(messages.length);
      let pending = messages.length;
      const settle = (i: number, result: PromiseSettledResult<unknown>) => {
        results[i] = result;
        if (--pending === 0) resolve(results);
      };
      messages.forEach((m, i) => {
        const topic = this.topic(m.topic);
        const orderingKey = this.options.ordering ? m.orderingKey : undefined;
        try {
          topic.publishMessage({ data: Buffer.from(m.data), attributes: m.attributes, orderingKey }, (error, id) => {
            if (!error) return settle(i, { status: 'fulfilled', value: id });
            // A failed publish pauses its ordering key until resumed; the outbox retries it later.
            if (orderingKey) topic.resumePublishing(orderingKey);
            settle(i, { status: 'rejected', reason: error });
          });
        } catch (error) {
          settle(i, { status: 'rejected', reason: error });
        }
      });
    });
  }

  async subscribe(spec: SubscriptionSpec, onMessage: (message: DeliveredMessage) => Promise<Outcome>): Promise<() => Promise<void>> {
    const subscription: Subscription = this.client.subscription(spec.name, {
      flowControl: { maxMessages: this.options.maxOutstanding, allowExcessMessages: false },
      streamingOptions: { maxStreams: this.options.maxStreams },
    });
    subscription.on('message', (message: Message) => {
      void onMessage({
        data: message.data.toString('utf8'),
        attributes: message.attributes,
        // Populated by Pub/Sub when the subscription has a dead-letter policy (ours always do).
        deliveryAttempt: message.deliveryAttempt || 1,
      }).then(
        (outcome) => (outcome === 'ack' ? message.ack() : message.nack()),
        (error: unknown) => {
          this.logger.error({ err: error }, `handling a message of ${spec.name} failed unexpectedly`);
          message.nack();
        },
      );
    });
    subscription.on('error', (error: Error) => this.logger.error({ err: error }, `subscription ${spec.name} failed`));
    return async () => {
      subscription.removeAllListeners('message');
      await subscription.close();
    };
  }

  async provision(subscriptions: SubscriptionSpec[], topics: string[]): Promise<void> {
    const ensureTopic = async (name: string) => {
      try {
        await this.client.createTopic(name);
      } catch (error) {
        if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
      }
    };
    const ensureSubscription = async (name: string, topic: string, options: Record<string, unknown>) => {
      try {
        await this.client.topic(topic).createSubscription(name, options);
      } catch (error) {
        if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
      }
    };
    for (const topic of new Set([...topics, ...subscriptions.map((s) => s.topic)])) await ensureTopic(topic);
    for (const spec of subscriptions) {
      await ensureTopic(spec.deadLetterTopic);
      // Without a subscription on it, dead letters would be dropped.
      await ensureSubscription(spec.deadLetterTopic, spec.deadLetterTopic, { messageRetentionDuration: { seconds: 7 * 24 * 3600 } });
      await ensureSubscription(spec.name, spec.topic, {
        ackDeadlineSeconds: 60,
        deadLetterPolicy: {
          deadLetterTopic: this.client.topic(spec.deadLetterTopic).name,
          maxDeliveryAttempts: spec.maxDeliveryAttempts,
        },
        retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 60 } },
      });
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.topics.values()].map((t) => t.flush()));
    await this.client.close();
  }
}
