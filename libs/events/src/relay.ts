import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { Db } from '@pace/database';
import { eventMetrics } from '@pace/telemetry';
import type { BusMessage, EventBus } from './bus';
import { OutboxEntity } from './entities';
import { notifyChannel } from './outbox';

export interface RelayOptions {
  batchSize: number;
  /** Fallback poll when no wake-up arrives (rows left by a crashed replica, a missed notify). */
  pollMs: number;
  /**
   * How long a claimed batch is reserved for this relay before another may take it: its locks'
   * session is ended after this long idle in the transaction (Pub/Sub), or its lease expires (in-process bus).
   */
  leaseMs: number;
  /** Sent rows are kept this long (for inspection), then pruned. */
  retentionMs: number;
  /** LISTEN for other processes' commits (a real PostgreSQL; the embedded one has no cross-connection notify). */
  listen: boolean;
}

const TRACEPARENT_FIELD = '"traceparent":"';
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The message's attributes: what consumers filter on, and the envelope's trace context repeated
 * (where Pub/Sub tooling and OpenTelemetry's messaging conventions look for it), read from the
 * stored JSON without parsing it (`indexOf`, not a regular expression scanning every envelope
 * that has none).
 */
function attributesOf(row: ClaimedRow): Record<string, string> {
  const attributes: Record<string, string> = { type: row.type, eventId: row.id, aggregateId: row.aggregate_id };
  const at = row.data.indexOf(TRACEPARENT_FIELD);
  if (at >= 0) {
    const start = at + TRACEPARENT_FIELD.length;
    const value = row.data.slice(start, start + 55);
    if (TRACEPARENT.test(value) && row.data.charCodeAt(start + 55) === 34) attributes.traceparent = value;
  }
  return attributes;
}

interface ClaimedRow {
  id: string;
  type: string;
  topic: string;
  aggregate_id: string;
  data: string;
  attempts: number;
}

/**
 * Publishes committed outbox rows. Claims a batch (FOR UPDATE SKIP LOCKED, so replicas never
 * publish the same batch at once), publishes it, then marks its rows sent — or schedules a retry
 * with exponential backoff and jitter. At least once: consumers de-duplicate.
 *
 * On Pub/Sub the claim, the publish and the marks are one transaction that holds the rows' locks
 * while publishing: no lease is written (one row version per event less). A crash or a lost
 * connection mid-publish rolls it back and leaves the rows pending, so they are published again
 * at once; a relay stuck longer than `leaseMs` loses its session and its locks.
 * The in-process bus resolves a publish only once every consumer has handled it, and consumers on
 * the embedded database (one session that connections take turns on) could not commit while this
 * transaction held it; there the claim writes a lease in `next_attempt_at` in a statement of its
 * own, no transaction stays open while publishing, and a batch left by a crash goes out again
 * after the lease.
 */
export class OutboxRelay {
  private readonly logger = new Logger('outbox-relay');
  private readonly schema: string;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private listener?: Client;
  /** Published since start (for metrics and tests). */
  published = 0;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly options: RelayOptions,
  ) {
    this.schema = String((db.dataSource.options as { schema?: string }).schema);
  }

  get hasOutbox(): boolean {
    return this.db.dataSource.hasMetadata(OutboxEntity);
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.options.listen) await this.startListening();
    this.timer = setInterval(() => {
      this.wake();
      void this.reportLag();
    }, this.options.pollMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), Math.max(60_000, this.options.retentionMs / 10));
    this.pruneTimer.unref();
    this.wake();
  }

  private async startListening(): Promise<void> {
    const options = this.db.dataSource.options as { url?: string };
    this.listener = new Client({ connectionString: options.url });
    this.listener.on('notification', () => this.wake());
    this.listener.on('error', (error) => this.logger.warn({ err: error }, 'outbox LISTEN connection failed; polling only'));
    try {
      await this.listener.connect();
      await this.listener.query(`LISTEN "${notifyChannel(this.db)}"`);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not LISTEN for outbox commits; polling only');
      await this.listener.end().catch(() => undefined);
      this.listener = undefined;
    }
  }

  /** Asks for a drain now; coalesces with one already running. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => {
        // After stop() gave up on a pass, its late failure (a closed pool) is expected.
        if (this.stopped) this.logger.debug(`outbox relay pass ended after stop: ${(error as Error)?.message ?? String(error)}`);
        else this.logger.error({ err: error }, 'outbox relay pass failed; will retry');
      })
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const claimed = this.bus.kind === 'pubsub' ? await this.db.dataSource.transaction((manager) => this.passHoldingLocks(manager)) : await this.passWithLease();
      if (claimed < this.options.batchSize || this.stopped) return;
    }
  }

  /** The pending rows due now, in id (publishing) order, that no other relay holds. */
  private due(columns: string): string {
    return `SELECT ${columns} FROM "${this.schema}".outbox WHERE sent_at IS NULL AND next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`;
  }

  private async passHoldingLocks(manager: EntityManager): Promise<number> {
    await manager.query(`SELECT set_config('idle_in_transaction_session_timeout', $1, true)`, [String(this.options.leaseMs)]);
    const rows: ClaimedRow[] = await manager.query(this.due('id, type, topic, aggregate_id, data, attempts'), [this.options.batchSize]);
    if (rows.length) await this.publish(manager, rows);
    return rows.length;
  }

  private async passWithLease(): Promise<number> {
    const result: [ClaimedRow[], number] | ClaimedRow[] = await this.db.dataSource.query(
      `UPDATE "${this.schema}".outbox o SET next_attempt_at = now() + ($2 || ' milliseconds')::interval
         WHERE o.id IN (${this.due('id')})
       RETURNING o.id, o.type, o.topic, o.aggregate_id, o.data, o.attempts`,
      [this.options.batchSize, String(this.options.leaseMs)],
    );
    const rows = (Array.isArray(result[0]) ? result[0] : result) as ClaimedRow[];
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    if (rows.length) await this.publish(this.db.dataSource.manager, rows);
    return rows.length;
  }

  /** Publishes claimed rows (in id order) and records each one's outcome through `manager`. */
  private async publish(manager: EntityManager, rows: ClaimedRow[]): Promise<void> {
    const messages: BusMessage[] = rows.map((r) => ({
      topic: r.topic,
      data: r.data,
      orderingKey: r.aggregate_id,
      attributes: attributesOf(r),
    }));
    const results = await this.bus.publish(messages);
    const sent: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      const result = results[i];
      if (result.status === 'fulfilled') {
        sent.push(rows[i].id);
        continue;
      }
      const row = rows[i];
      const attempts = row.attempts + 1;
      // 1 s, 2 s, 4 s … capped at 5 min, with ±20 % jitter so a broker outage is not hammered in step.
      const delay = Math.min(300_000, 1000 * 2 ** Math.min(attempts - 1, 9)) * (0.8 + Math.random() * 0.4);
      const reason = (result.reason as Error)?.message ?? String(result.reason);
      this.logger.warn(`publishing ${row.type} ${row.id} failed (attempt ${attempts}): ${reason}`);
      await manager.query(
        `UPDATE "${this.schema}".outbox SET attempts = $2, last_error = $3, next_attempt_at = now() + ($4 || ' milliseconds')::interval WHERE id = $1`,
        [row.id, attempts, reason.slice(0, 2000), String(Math.round(delay))],
      );
    }
    if (sent.length) {
      // The ids as one array literal: they are uuids PostgreSQL returned, nothing to escape (pg
      // would escape each of a thousand elements with two regexes).
      await manager.query(`UPDATE "${this.schema}".outbox SET sent_at = now() WHERE id = ANY($1::uuid[])`, [`{${sent.join(',')}}`]);
      this.published += sent.length;
      // One increment per series and batch: prom-client hashes the labels on every call.
      const counts = new Map<string, { topic: string; type: string; n: number }>();
      for (let i = 0; i < rows.length; i++) {
        if (results[i].status !== 'fulfilled') continue;
        const key = `${rows[i].topic}\n${rows[i].type}`;
        const count = counts.get(key);
        if (count) count.n++;
        else counts.set(key, { topic: rows[i].topic, type: rows[i].type, n: 1 });
      }
      const counter = eventMetrics().published;
      for (const { topic, type, n } of counts.values()) counter.inc({ service: this.schema, topic, type }, n);
    }
  }

  /** Seconds the oldest unsent event has waited (0 when none): the outbox lag. */
  async lagSeconds(): Promise<number> {
    const rows: { lag: number | null }[] = await this.db.dataSource.query(
      `SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS lag FROM "${this.schema}".outbox WHERE sent_at IS NULL`,
    );
    return Math.max(0, Number(rows[0]?.lag ?? 0));
  }

  private async reportLag(): Promise<void> {
    try {
      eventMetrics().outboxLag.set({ service: this.schema }, await this.lagSeconds());
    } catch {
      // the next tick tries again; a failing database shows in readiness
    }
  }

  private async prune(): Promise<void> {
    try {
      await this.db.dataSource.query(
        `DELETE FROM "${this.schema}".outbox WHERE sent_at < now() - ($1 || ' milliseconds')::interval`,
        [String(this.options.retentionMs)],
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'pruning sent outbox rows failed');
    }
  }

  /**
   * Stops taking new batches and waits for the one in flight, but not for ever: a publish can
   * wait on a consumer that has already stopped (the in-process bus settles only once every
   * subscription acknowledged) or on an unreachable broker. Rows of an abandoned batch stay
   * unsent (their transaction rolls back when its connection closes; on the in-process bus, until
   * their lease ends) and are published again by a replica or this process's next start.
   */
  async stop(graceMs = 2_000): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      (this.running ?? Promise.resolve()).then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (gaveUp) this.logger.warn(`a batch was still publishing after ${graceMs} ms; its events stay in the outbox and go out after the next start`);
    await this.listener?.end().catch(() => undefined);
  }
}
