import { EVENT_METRICS, eventMetrics, metrics } from './registry';

describe('metrics helpers', () => {
  it('returns the same counter when asked twice, and shows it in the exposition', async () => {
    const a = metrics.counter('pace_spec_things_total', 'Things counted in a spec', ['kind']);
    const b = metrics.counter('pace_spec_things_total', 'Things counted in a spec', ['kind']);
    expect(b).toBe(a);
    a.inc({ kind: 'x' }, 3);
    expect(await metrics.text()).toContain('pace_spec_things_total{kind="x"} 3');
  });

  it('refuses the same name with another type or other labels', () => {
    metrics.counter('pace_spec_clash_total', 'A counter', ['a']);
    expect(() => metrics.gauge('pace_spec_clash_total', 'A gauge', ['a'])).toThrow(/already registered as a counter/);
    expect(() => metrics.counter('pace_spec_clash_total', 'A counter', ['b'])).toThrow(/labels \[a\]/);
  });

  it('runs every collector of a gauge on scrape, and survives one that throws', async () => {
    metrics.gauge('pace_spec_lag_seconds', 'Lag', ['service'], { collect: (g) => g.set({ service: 'one' }, 1.5) });
    metrics.gauge('pace_spec_lag_seconds', 'Lag', ['service'], {
      collect: () => {
        throw new Error('database down');
      },
    });
    metrics.gauge('pace_spec_lag_seconds', 'Lag', ['service'], { collect: (g) => g.set({ service: 'two' }, 2) });
    const text = await metrics.text();
    expect(text).toContain('pace_spec_lag_seconds{service="one"} 1.5');
    expect(text).toContain('pace_spec_lag_seconds{service="two"} 2');
    // The error counter is written before the gauge in the exposition, so it shows from the next scrape.
    expect(await metrics.text()).toMatch(/pace_metrics_collect_errors_total\{metric="pace_spec_lag_seconds"\} [12]\n/);
  });

  it('declares the event backbone metrics under their agreed names', async () => {
    const events = eventMetrics();
    events.deadLettered.inc({ service: 'spec', subscription: 'spec.pace.applicants.v1', type: 'applicants.applicant-created.v1', reason: 'malformed' });
    events.outboxLag.set({ service: 'spec' }, 0.25);
    expect(eventMetrics().deadLettered).toBe(events.deadLettered);
    const text = await metrics.text();
    for (const name of Object.values(EVENT_METRICS)) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('pace_outbox_lag_seconds{service="spec"} 0.25');
  });
});
