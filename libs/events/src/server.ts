import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { Db } from '@pace/database';
import { parseTraceparent, runWithLogContext } from '@pace/logging';
import { type DeliveredMessage, type EventBus, type Outcome, type SubscriptionSpec, deadLetterTopicOf } from './bus';
import { type DomainEvent, MalformedEventError, decodeEnvelope, topicOf } from './envelope';
import { InboxEntity } from './entities';

/** What a handler may ask about the delivery it is processing (`@Ctx()`). */
export class EventContext {
  constructor(
    readonly subscription: string,
    readonly deliveryAttempt: number,
    readonly maxDeliveryAttempts: number,
  ) {}
}

export interface EventsServerOptions {
  /** The consuming service; subscriptions are `<service>.<topic>`. */
  service: string;
  bus: EventBus;
  /** With a Db, every handler runs in a transaction with its inbox row (exactly-once effect). */
  db?: Db;
  namespace: string;
  maxDeliveryAttempts: number;
  /** Create missing subscriptions on listen (emulator, embedded); production provisions them ahead. */
  provision: boolean;
}

export interface HandlingStats {
  handled: number;
  duplicates: number;
  failed: number;
  deadLettered: number;
}

/**
 * A NestJS transport: handlers are plain `@EventPattern('<type>')` methods receiving a
 * `DomainEvent<T>` (validated against the proto contract) and an `EventContext`.
 * A message is acknowledged only after its handler and inbox row committed; a failure is
 * nacked for redelivery; on the last allowed attempt, and for a malformed message at once,
 * it goes to the dead-letter topic with the reason, and consuming goes on.
 */
export class EventsServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  private readonly closers: (() => Promise<void>)[] = [];
  readonly stats: HandlingStats = { handled: 0, duplicates: 0, failed: 0, deadLettered: 0 };
  private readonly log = new Logger('events');

  constructor(private readonly options: EventsServerOptions) {
    super();
  }

  /** The subscriptions this server needs, from the handlers Nest registered. */
  subscriptions(): SubscriptionSpec[] {
    const topics = new Set([...this.messageHandlers.keys()].map((type) => topicOf(type, this.options.namespace)));
    return [...topics].map((topic) => {
      const name = `${this.options.namespace}${this.options.service}.${topic.slice(this.options.namespace.length)}`;
      return { name, topic, deadLetterTopic: deadLetterTopicOf(name), maxDeliveryAttempts: this.options.maxDeliveryAttempts };
    });
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const specs = this.subscriptions();
      if (this.options.provision) await this.options.bus.provision(specs, []);
      for (const spec of specs) {
        this.closers.push(await this.options.bus.subscribe(spec, (message) => this.onMessage(spec, message)));
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async onMessage(spec: SubscriptionSpec, message: DeliveredMessage): Promise<Outcome> {
    let event: DomainEvent;
    try {
      event = decodeEnvelope(message.data);
    } catch (error) {
      if (error instanceof MalformedEventError) return this.deadLetter(spec, message, error.message);
      throw error;
    }
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) return 'ack'; // another event of the topic that this service does not handle
    const trace = parseTraceparent(event.traceparent);
    const context = new EventContext(spec.name, message.deliveryAttempt, spec.maxDeliveryAttempts);
    return runWithLogContext(
      { service: this.options.service, requestId: event.eventId, traceId: trace?.traceId, spanId: trace?.spanId, traceparent: event.traceparent },
      async () => {
        try {
          const outcome = await this.handleOnce(event, context, handler);
          if (outcome === 'duplicate') this.stats.duplicates++;
          else this.stats.handled++;
          this.log.debug(`${outcome} ${event.type} ${event.eventId} (attempt ${message.deliveryAttempt})`);
          return 'ack';
        } catch (error) {
          this.stats.failed++;
          const reason = error instanceof Error ? error.message : String(error);
          if (message.deliveryAttempt >= spec.maxDeliveryAttempts) {
            return this.deadLetter(spec, message, `handler failed ${message.deliveryAttempt} times: ${reason}`, event);
          }
          this.log.warn({ err: error }, `${event.type} ${event.eventId} failed (attempt ${message.deliveryAttempt}/${spec.maxDeliveryAttempts}); will retry`);
          return 'nack';
        }
      },
    );
  }

  private async handleOnce(
    event: DomainEvent,
    context: EventContext,
    handler: NonNullable<ReturnType<Server['getHandlerByPattern']>>,
  ): Promise<'handled' | 'duplicate'> {
    const run = async () => {
      const result: unknown = await handler(event, context);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    };
    const db = this.options.db;
    if (!db) {
      await run();
      return 'handled';
    }
    return db.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(InboxEntity)
        .values({ eventId: event.eventId, type: event.type, aggregateId: event.aggregateId })
        .orIgnore()
        .returning('event_id')
        .execute();
      if (!inserted.raw.length) return 'duplicate';
      await run();
      return 'handled';
    });
  }

  private async deadLetter(spec: SubscriptionSpec, message: DeliveredMessage, reason: string, event?: DomainEvent): Promise<Outcome> {
    const known: Record<string, string> = event ? { type: event.type, eventId: event.eventId, aggregateId: event.aggregateId } : {};
    const [result] = await this.options.bus.publish([
      {
        topic: spec.deadLetterTopic,
        data: message.data,
        attributes: { ...message.attributes, ...known, error: reason.slice(0, 1000), subscription: spec.name, deliveryAttempt: String(message.deliveryAttempt) },
      },
    ]);
    if (result.status === 'rejected') {
      this.log.error({ err: result.reason }, `could not dead-letter a message of ${spec.name}; leaving it for redelivery`);
      return 'nack';
    }
    this.stats.deadLettered++;
    this.log.error(`dead-lettered a message of ${spec.name} (${event?.type ?? message.attributes.type ?? 'no type'} ${event?.eventId ?? ''}): ${reason}`);
    return 'ack';
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0)) await close();
  }

  on(): never {
    throw new Error('EventsServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.options.bus as T;
  }
}
