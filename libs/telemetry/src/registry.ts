import { Counter, Gauge, Histogram, type Metric, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per process. In embedded mode several services share a process, so they
 * share it too; metrics that differ per service carry a `service` label instead of a second registry.
 */
export const registry = new Registry();

let defaultsCollected = false;

/** Process metrics (CPU, memory, event-loop lag, GC, handles), registered once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry });
}

type Kind = 'counter' | 'gauge' | 'histogram';
const kinds = new Map<string, { kind: Kind; labels: string }>();

/**
 * Returns the metric registered under `name`, or registers it. Asking twice with the same shape
 * returns the same object (modules are built once per app, and embedded mode builds several apps);
 * asking with another type or other labels is a programming error and throws at start-up.
 */
function getOrCreate<M extends Metric>(kind: Kind, name: string, labelNames: readonly string[], create: () => M): M {
  const shape = [...labelNames].sort().join(',');
  const existing = registry.getSingleMetric(name);
  if (existing) {
    const known = kinds.get(name);
    if (known && (known.kind !== kind || known.labels !== shape)) {
      throw new Error(`metric ${name} is already registered as a ${known.kind} with labels [${known.labels}]; asked for a ${kind} with [${shape}]`);
    }
    return existing as M;
  }
  kinds.set(name, { kind, labels: shape });
  return create();
}

type Collector = (gauge: Gauge<string>) => void | Promise<void>;
const collectors = new Map<string, Collector[]>();

export interface GaugeOptions {
  /** Called on every scrape to set the gauge's current value(s). */
  collect?: Collector;
}

const collectErrors = () => metrics.counter('pace_metrics_collect_errors_total', 'Gauge collectors that threw during a scrape', ['metric']);

/** Helpers other libraries use to put their metrics on the shared registry. */
export const metrics = {
  registry,

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter<string> {
    return getOrCreate('counter', name, labelNames, () => new Counter({ name, help, labelNames, registers: [registry] }));
  },

  /**
   * A gauge. `collect` (optional) runs on every scrape to set its current value(s); several
   * collectors may be added to one gauge (embedded mode: one per service, each with its own labels).
   */
  gauge(name: string, help: string, labelNames: readonly string[] = [], options: GaugeOptions = {}): Gauge<string> {
    const gauge = getOrCreate('gauge', name, labelNames, () => {
      const errors = collectErrors();
      const list: Collector[] = [];
      collectors.set(name, list);
      return new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect(this: Gauge<string>) {
          for (const run of list) {
            try {
              await run(this);
            } catch {
              // One broken collector must not fail the whole scrape; the counter shows it happened.
              errors.inc({ metric: name });
            }
          }
        },
      });
    });
    if (options.collect) collectors.get(name)?.push(options.collect);
    return gauge;
  },

  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets?: number[]): Histogram<string> {
    return getOrCreate('histogram', name, labelNames, () => new Histogram({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) }));
  },

  /** The text exposition of every metric, as served on GET /metrics. */
  async text(): Promise<string> {
    return registry.metrics();
  },

  contentType: registry.contentType,
};

/** Names of the event backbone's metrics, shared so dashboards and alerts have one spelling. */
export const EVENT_METRICS = {
  published: 'pace_events_published_total',
  handled: 'pace_events_handled_total',
  deadLettered: 'pace_events_dead_lettered_total',
  outboxLag: 'pace_outbox_lag_seconds',
} as const;

/**
 * The event backbone's metrics, created on first use. Labels: `topic`/`subscription` and the
 * event `type`; `outcome` of a handled event is `ok`, `retry` or `duplicate`; `reason` of a
 * dead letter is a short code (`handler-failed`, `malformed`). The outbox lag is the age of the
 * oldest unsent outbox row of a service, set by the relay (0 when nothing waits).
 */
export function eventMetrics() {
  return {
    published: metrics.counter(EVENT_METRICS.published, 'Events published to the bus', ['service', 'topic', 'type']),
    handled: metrics.counter(EVENT_METRICS.handled, 'Events a consumer handled, by outcome', ['service', 'subscription', 'type', 'outcome']),
    deadLettered: metrics.counter(EVENT_METRICS.deadLettered, 'Events given up on and sent to a dead-letter topic', ['service', 'subscription', 'type', 'reason']),
    outboxLag: metrics.gauge(EVENT_METRICS.outboxLag, 'Age in seconds of the oldest unsent outbox row', ['service']),
  };
}
