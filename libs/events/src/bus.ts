/** A message as it travels on any bus: the serialized envelope and its attributes. */
export interface BusMessage {
  topic: string;
  data: string;
  attributes: Record<string, string>;
  orderingKey?: string;
}

export interface DeliveredMessage {
  data: string;
  attributes: Record<string, string>;
  /** 1 on first delivery. */
  deliveryAttempt: number;
}

export type Outcome = 'ack' | 'nack';

export interface SubscriptionSpec {
  /** `<consumer>.<topic>`. */
  name: string;
  topic: string;
  /** Topic that receives what failed `maxDeliveryAttempts` times: `<subscription>.dlq`. */
  deadLetterTopic: string;
  maxDeliveryAttempts: number;
}

/**
 * The port both buses implement: Google Cloud Pub/Sub (emulator or cloud) and the in-process
 * bus of `npm start`. Delivery is at least once on both; consumers de-duplicate.
 */
export interface EventBus {
  readonly kind: 'pubsub' | 'memory';
  /** Resolves once every message is accepted (Pub/Sub: stored; memory: handled by every subscription); only each status counts. */
  publish(messages: BusMessage[]): Promise<PromiseSettledResult<unknown>[]>;
  subscribe(spec: SubscriptionSpec, onMessage: (message: DeliveredMessage) => Promise<Outcome>): Promise<() => Promise<void>>;
  /** Creates topics, dead-letter topics and subscriptions if missing (idempotent). */
  provision(subscriptions: SubscriptionSpec[], topics: string[]): Promise<void>;
  close(): Promise<void>;
}

export const deadLetterTopicOf = (subscription: string) => `${subscription}.dlq`;
