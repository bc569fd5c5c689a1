import { Logger } from '@nestjs/common';
import type { BusMessage, DeliveredMessage, EventBus, Outcome, SubscriptionSpec } from './bus';

type Handler = (message: DeliveredMessage) => Promise<Outcome>;

interface Pending {
  message: BusMessage;
  attempt: number;
  settle: () => void;
}

interface MemorySubscription {
  spec: SubscriptionSpec;
  handler?: Handler;
  /** Messages that arrived before a handler attached (as Pub/Sub keeps them for a subscription). */
  backlog: Pending[];
}

/**
 * The bus of `npm start`: one process, no broker, same semantics the services rely on —
 * at-least-once delivery to every subscription of a topic, nack → redelivery with exponential
 * backoff, a delivery attempt count, dead-lettering after `maxDeliveryAttempts`.
 *
 * `publish` resolves only once every subscription has acknowledged (or dead-lettered) the
 * message, so the outbox marks an event sent only after it was handled: a crash loses nothing,
 * the relay publishes again and the inbox absorbs the duplicate.
 */
export class InProcessBus implements EventBus {
  readonly kind = 'memory';
  private readonly subscriptions = new Map<string, MemorySubscription>();
  private readonly logger = new Logger('memory-bus');
  readonly deadLetters: { subscription: string; message: BusMessage }[] = [];
  private closed = false;
  private gate: Promise<void> = Promise.resolve();
  private release?: () => void;

  constructor(private readonly backoff = { minMs: 100, maxMs: 10_000 }) {}

  /**
   * Holds publishing until `open()`: a process starting several services holds the bus until
   * every consumer has subscribed, so an early event is not published to a topic nobody reads.
   */
  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release?.();
  }

  async publish(messages: BusMessage[]): Promise<PromiseSettledResult<void>[]> {
    await this.gate;
    return Promise.allSettled(messages.map((message) => this.fanOut(message)));
  }

  private async fanOut(message: BusMessage): Promise<void> {
    if (this.closed) throw new Error('bus closed');
    const targets = [...this.subscriptions.values()].filter((s) => s.spec.topic === message.topic);
    if (!targets.length && message.topic.endsWith('.dlq')) {
      this.deadLetters.push({ subscription: message.topic.slice(0, -4), message });
      this.logger.error(`dead letter on ${message.topic}: ${message.attributes.type} ${message.attributes.eventId}: ${message.attributes.error ?? ''}`);
      return;
    }
    await Promise.all(targets.map((sub) => new Promise<void>((settle) => this.deliver(sub, { message, attempt: 1, settle }))));
  }

  private deliver(sub: MemorySubscription, pending: Pending): void {
    if (this.closed) return;
    if (!sub.handler) {
      sub.backlog.push(pending);
      return;
    }
    const { message, attempt } = pending;
    void sub
      .handler({ data: message.data, attributes: message.attributes, deliveryAttempt: attempt })
      .catch(() => 'nack' as const)
      .then((outcome) => {
        if (outcome === 'ack') return pending.settle();
        if (attempt >= sub.spec.maxDeliveryAttempts) {
          this.deadLetters.push({ subscription: sub.spec.name, message });
          this.logger.error(`dead-lettered ${message.attributes.type} ${message.attributes.eventId} on ${sub.spec.name} after ${attempt} attempts`);
          return pending.settle();
        }
        const delay = Math.min(this.backoff.maxMs, this.backoff.minMs * 2 ** (attempt - 1));
        setTimeout(() => this.deliver(sub, { ...pending, attempt: attempt + 1 }), delay).unref();
      });
  }

  async subscribe(spec: SubscriptionSpec, onMessage: Handler): Promise<() => Promise<void>> {
    await this.provision([spec], []);
    const sub = this.subscriptions.get(spec.name)!;
    sub.handler = onMessage;
    const backlog = sub.backlog.splice(0);
    for (const pending of backlog) this.deliver(sub, pending);
    return async () => {
      sub.handler = undefined;
    };
  }

  async provision(subscriptions: SubscriptionSpec[], _topics: string[] = []): Promise<void> {
    for (const spec of subscriptions) {
      if (!this.subscriptions.has(spec.name)) this.subscriptions.set(spec.name, { spec, backlog: [] });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

let shared: InProcessBus | undefined;

/** The one in-process bus all services of an embedded process share. */
export function sharedInProcessBus(): InProcessBus {
  shared ??= new InProcessBus();
  return shared;
}
