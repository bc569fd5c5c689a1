import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { Db, textArrayLiteral } from '@pace/database';
import type { EntityManager } from 'typeorm';
import { type LogContext, SpanKind, runWithLogContext, spanLogContext, startTraceSpan } from '@pace/logging';
import { eventMetrics } from '@pace/telemetry';
import { type DeliveredMessage, type EventBus, type Outcome, type SubscriptionSpec, deadLetterTopicOf } from './bus';
import { DEFAULT_BATCH_SIZE } from './config';
import { type DomainEvent, MalformedEventError, decodeEnvelope, topicOf } from './envelope';

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
  /** Domains the service declares it consumes; a handler for any other domain fails the start. */
  consumes?: string[];
  /** Most events handled in one transaction (default DEFAULT_BATCH_SIZE, EVENTS_BATCH_SIZE in services). */
  batchSize?: number;
}

type Handler = NonNullable<ReturnType<Server['getHandlerByPattern']>>;
type HandleResult = 'handled' | 'duplicate';

interface Work {
  event: DomainEvent;
  context: EventContext;
  handler: Handler;
  logContext: LogContext;
  /** One of the two is called, once. */
  settle: (result: HandleResult) => void;
  fail: (error: unknown) => void;
}

const ACK: Promise<Outcome> = Promise.resolve('ack');

/** Nest's Logger formats nothing below its level, but the message would still be built per event. */
const debugEnabled = () => Logger.isLevelEnabled('debug');

type Series = ReturnType<ReturnType<typeof eventMetrics>['handled']['labels']>;

interface HandledCounters {
  ok: Series;
  duplicate: Series;
  retry: Series;
}

/** What is the same for every event of one type on one subscription: its span name and metric series. */
interface TypeState {
  spanName: string;
  counters: HandledCounters;
}

/**
 * A subscription and, per event type, its metric series and span name. prom-client hashes a label
 * object on every `inc`; the series of a (subscription, type, outcome) are looked up once and kept.
 */
class SubscriptionState {
  private readonly types = new Map<string, TypeState>();

  constructor(
    readonly spec: SubscriptionSpec,
    private readonly service: string,
  ) {}

  of(type: string): TypeState {
    let state = this.types.get(type);
    if (!state) {
      const handled = eventMetrics().handled;
      const series = (outcome: string) => handled.labels({ service: this.service, subscription: this.spec.name, type, outcome });
      state = { spanName: `${type} process`, counters: { ok: series('ok'), duplicate: series('duplicate'), retry: series('retry') } };
      this.types.set(type, state);
    }
    return state;
  }
}

/** How long a message may wait for others to share its transaction (latency bought for throughput). */
const BATCH_WINDOW_MS = 5;

/**
 * A handler's result run to its end: Nest's handlers return a value, a promise or an Observable
 * (or a promise of one). A promise only when there is something to wait for.
 */
function finished(result: unknown): Promise<void> | void {
  if (result instanceof Promise) return result.then(finished);
  if (isObservable(result)) return lastValueFrom(result, { defaultValue: undefined }).then(() => undefined);
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
  private readonly handlers = new Map<string, Handler | null>();
  readonly stats: HandlingStats = { handled: 0, duplicates: 0, failed: 0, deadLettered: 0 };
  private readonly log = new Logger('events');
  private readonly queue: Work[] = [];
  private flushTimer?: NodeJS.Timeout;
  private readonly batchSize: number;

  constructor(private readonly options: EventsServerOptions) {
    super();
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  /** The subscriptions this server needs, from the handlers Nest registered. */
  subscriptions(): SubscriptionSpec[] {
    const types = this.eventTypes();
    if (this.options.consumes) {
      const undeclared = types.filter((type) => !this.options.consumes!.includes(type.split('.')[0]));
      if (undeclared.length) {
        throw new Error(`${this.options.service} handles ${undeclared.join(', ')} but does not declare those domains in its ServiceDefinition.consumes`);
      }
    }
    const topics = new Set(types.map((type) => topicOf(type, this.options.namespace)));
    return [...topics].map((topic) => {
      const name = `${this.options.namespace}${this.options.service}.${topic.slice(this.options.namespace.length)}`;
      return { name, topic, deadLetterTopic: deadLetterTopicOf(name), maxDeliveryAttempts: this.options.maxDeliveryAttempts };
    });
  }

  /**
   * The event types of `@EventPattern` handlers. Nest hands every transport of an app all its
   * patterns: a service that also serves gRPC has its `@GrpcMethod`s here too (as message, not
   * event, handlers), and they are no events.
   */
  private eventTypes(): string[] {
    return [...this.messageHandlers.entries()].filter(([, handler]) => handler.isEventHandler).map(([type]) => type);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const specs = this.subscriptions();
      if (this.options.provision) await this.options.bus.provision(specs, []);
      for (const spec of specs) {
        const subscription = new SubscriptionState(spec, this.options.service);
        this.closers.push(await this.options.bus.subscribe(spec, (message) => this.onMessage(subscription, message)));
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /**
   * The handler of an event type, looked up once per type: Nest's lookup tries JSON.parse on the
   * pattern and throws for every plain string, which costs more than handling a small event.
   * Types are bounded (decoding refuses any type without a contract), so the cache is too.
   */
  private handlerFor(type: string): Handler | null {
    let handler = this.handlers.get(type);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(type);
      this.handlers.set(type, handler);
    }
    return handler;
  }

  private onMessage(subscription: SubscriptionState, message: DeliveredMessage): Promise<Outcome> {
    const spec = subscription.spec;
    let event: DomainEvent;
    try {
      event = decodeEnvelope(message.data);
    } catch (error) {
      if (error instanceof MalformedEventError) return this.deadLetter(spec, message, error.message);
      return Promise.reject(error);
    }
    const handler = this.handlerFor(event.type);
    if (!handler) return ACK; // another event of the topic that this service does not handle
    const context = new EventContext(spec.name, message.deliveryAttempt, spec.maxDeliveryAttempts);
    const { spanName, counters } = subscription.of(event.type);
    const span = startTraceSpan(spanName, SpanKind.CONSUMER, event.traceparent, {
      'messaging.system': 'gcp_pubsub',
      'messaging.destination.subscription.name': spec.name,
      'messaging.message.id': event.eventId,
      'pace.delivery_attempt': message.deliveryAttempt,
    });
    const logContext = spanLogContext(span, { service: this.options.service, requestId: event.eventId });
    const handled = (outcome: HandleResult | void = 'handled'): Outcome => {
      span.end();
      if (outcome === 'duplicate') {
        this.stats.duplicates++;
        counters.duplicate.inc();
      } else {
        this.stats.handled++;
        counters.ok.inc();
      }
      if (debugEnabled()) runWithLogContext(logContext, () => this.log.debug(`${outcome} ${event.type} ${event.eventId} (attempt ${message.deliveryAttempt})`));
      return 'ack';
    };
    const failed = (error: unknown): Outcome | Promise<Outcome> =>
      runWithLogContext(logContext, () => {
        span.end(error);
        this.stats.failed++;
        counters.retry.inc();
        const reason = error instanceof Error ? error.message : String(error);
        if (message.deliveryAttempt >= spec.maxDeliveryAttempts) {
          return this.deadLetter(spec, message, `handler failed ${message.deliveryAttempt} times: ${reason}`, event);
        }
        this.log.warn({ err: error }, `${event.type} ${event.eventId} failed (attempt ${message.deliveryAttempt}/${spec.maxDeliveryAttempts}); will retry`);
        return 'nack';
      });
    // As few promises per message as can be, and no async frames: with AsyncLocalStorage active
    // every promise runs Node's async hooks, and at thousands of events a second that shows.
    // Without a database the handler runs here, in the event's log context, and its own promise
    // settles the message; with one, the batch settles it (and runs the handler in that context).
    if (!this.options.db) {
      try {
        const running = finished(runWithLogContext(logContext, () => handler(event, context)));
        return running ? running.then(handled, failed) : Promise.resolve(handled());
      } catch (error) {
        return Promise.resolve(failed(error));
      }
    }
    return new Promise<Outcome>((resolve) => {
      this.queue.push({ event, context, handler, logContext, settle: (result) => resolve(handled(result)), fail: (error) => resolve(failed(error)) });
      if (this.queue.length >= this.batchSize) this.flush();
      else this.flushTimer ??= setTimeout(() => this.flush(), BATCH_WINDOW_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    while (this.queue.length) void this.runBatch(this.queue.splice(0, this.batchSize));
  }

  /**
   * Handles a batch in ONE transaction — one inbox insert for all, one commit (one fsync) for
   * many events — and acknowledges after the commit. If any handler fails, the batch is rolled
   * back and each event is handled again in a transaction of its own, so one failure neither
   * blocks nor undoes the others.
   */
  private async runBatch(batch: Work[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await this.options.db!.transaction(async (manager) => {
          const fresh = await this.lockAndClaim(manager, batch);
          const out: HandleResult[] = [];
          for (const work of batch) {
            // The same event twice in one batch: only its first copy is fresh.
            if (!fresh.delete(work.event.eventId)) {
              out.push('duplicate');
              continue;
            }
            // Awaited here, not in a function of its own: one promise per event fewer.
            const result: unknown = await runWithLogContext(work.logContext, () => work.handler(work.event, work.context));
            if (isObservable(result)) await finished(result);
            out.push('handled');
          }
          return out;
        });
        batch.forEach((work, i) => work.settle(results[i]));
        return;
      } catch {
        // fall through: isolate the failure
      }
    }
    for (const work of batch) {
      try {
        work.settle(
          await this.options.db!.transaction(async (manager) => {
            if (!(await this.lockAndClaim(manager, [work])).size) return 'duplicate';
            await finished(runWithLogContext(work.logContext, () => work.handler(work.event, work.context)));
            return 'handled';
          }),
        );
      } catch (error) {
        work.fail(error);
      }
    }
  }

  /**
   * Serialises the handling of one aggregate's events, then inserts the batch's inbox rows and
   * returns the ids that were not there yet (not duplicates) — one statement, one round trip.
   *
   * Batches run concurrently (and replicas too), so without the lock two versions of an aggregate
   * that has no projection row yet could be handled side by side: each handler finds nothing to
   * lock, and the older snapshot, committed last, overwrites the newer. A transaction-scoped
   * advisory lock per aggregate makes the later transaction wait for the earlier to commit, so
   * its version check sees the committed row. Locks are taken in lock-id order, so two batches
   * never wait on each other in a cycle. The locks are an InitPlan gating the insert: all are held
   * before the first inbox row is written (and before any handler runs). Lock ids hash
   * `pace-events:<service>:<aggregate id>`, so replicas of every version lock the same ones.
   */
  private async lockAndClaim(manager: EntityManager, batch: Work[]): Promise<Set<string>> {
    const schema = String((manager.connection.options as { schema?: string }).schema);
    const ids: string[] = [];
    const types: string[] = [];
    const aggregates: string[] = [];
    for (const work of batch) {
      ids.push(work.event.eventId);
      types.push(work.event.type);
      aggregates.push(work.event.aggregateId);
    }
    // Array literals written here (pg would run two regular expressions per element); event ids
    // are UUIDs (decoding checks them), nothing in them to quote.
    const rows: { event_id: string }[] = await manager.query(
      `WITH locked AS MATERIALIZED (
         SELECT count(pg_advisory_xact_lock(id)) AS n
         FROM (SELECT DISTINCT hashtextextended($4 || a, 0) AS id FROM unnest($3::text[]) AS a ORDER BY 1) AS locks)
       INSERT INTO "${schema}".inbox (event_id, type, aggregate_id)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) WHERE (SELECT n FROM locked) >= 0
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [`{${ids.join(',')}}`, textArrayLiteral(types), textArrayLiteral(aggregates), `pace-events:${this.options.service}:`],
    );
    return new Set(rows.map((r) => r.event_id));
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
    eventMetrics().deadLettered.inc({ service: this.options.service, subscription: spec.name, type: event?.type ?? message.attributes.type ?? 'unknown', reason: event ? 'handler-failed' : 'malformed' });
    this.log.error(`dead-lettered a message of ${spec.name} (${event?.type ?? message.attributes.type ?? 'no type'} ${event?.eventId ?? ''}): ${reason}`);
    return 'ack';
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0)) await close();
    this.flush();
  }

  on(): never {
    throw new Error('EventsServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.options.bus as T;
  }
}
