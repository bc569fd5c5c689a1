import { type DescMessage, type MessageShape, toJson } from '@bufbuild/protobuf';
import { v7 as uuidv7 } from 'uuid';
import { eventTypeOf } from '@pace/contracts';
import { Db, type DependentInsert, type SqlParams, queryWith } from '@pace/database';
import { currentLogContext } from '@pace/logging';
import { encodeEnvelopeJson, topicOf } from './envelope';

export interface NewEvent<S extends DescMessage> {
  schema: S;
  payload: MessageShape<S>;
  aggregateId: string;
  aggregateVersion: number;
}

/** An event whose payload is already proto3 JSON (`Outbox.encodeJson`). */
export interface PreparedEvent<S extends DescMessage> {
  schema: S;
  payloadJson: string;
  aggregateId: string;
  aggregateVersion: number;
}

/** An event encoded for the outbox (`Outbox.encode`), not yet written. */
export interface EncodedEvent {
  id: string;
  type: string;
  topic: string;
  aggregateId: string;
  aggregateVersion: string;
  data: string;
}

export class OutsideTransactionError extends Error {
  constructor() {
    super('events must be written inside the transaction of the change they describe (Db.transaction)');
  }
}

/**
 * Writes events into the service's outbox table, inside the caller's transaction: the change and
 * its events commit together or not at all. The relay publishes them after commit.
 */
export class Outbox {
  private readonly wakers: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly producer: string,
    private readonly namespace: string,
  ) {}

  /** Topics by event type (a handful per producer), not worked out again for every event. */
  private readonly topics = new Map<string, string>();

  private topicOf(type: string): string {
    let topic = this.topics.get(type);
    if (topic === undefined) this.topics.set(type, (topic = topicOf(type, this.namespace)));
    return topic;
  }

  /** The relay registers here to be woken when a transaction with events commits. */
  onCommitted(waker: () => void): void {
    this.wakers.push(waker);
  }

  async publish<S extends DescMessage>(...events: NewEvent<S>[]): Promise<string[]> {
    if (!this.db.inTransaction) throw new OutsideTransactionError();
    return this.publishEncoded(this.encode(...events));
  }

  /**
   * Envelopes ready for `publishEncoded`: a bulk writer (an import) encodes a batch's events while
   * the database is still busy with the previous batch, and writes them in its own transaction.
   */
  encode<S extends DescMessage>(...events: NewEvent<S>[]): EncodedEvent[] {
    return this.encodeJson(
      events.map((e) => ({ schema: e.schema, payloadJson: JSON.stringify(toJson(e.schema, e.payload)), aggregateId: e.aggregateId, aggregateVersion: e.aggregateVersion })),
    );
  }

  /**
   * As `encode`, for payloads the caller serialised itself in proto3 JSON (exactly what
   * `toJson(schema, payload)` gives, stringified; an import writes its snapshots directly).
   */
  encodeJson<S extends DescMessage>(events: PreparedEvent<S>[]): EncodedEvent[] {
    const traceparent = currentLogContext()?.traceparent ?? '';
    const occurredAt = new Date();
    return events.map((event) => {
      const type = eventTypeOf(event.schema);
      const id = uuidv7();
      const data = encodeEnvelopeJson(event.payloadJson, {
        eventId: id,
        type,
        aggregateId: event.aggregateId,
        aggregateVersion: event.aggregateVersion,
        occurredAt,
        producer: this.producer,
        traceparent,
      });
      return { id, type, topic: this.topicOf(type), aggregateId: event.aggregateId, aggregateVersion: String(event.aggregateVersion), data };
    });
  }

  async publishEncoded(rows: EncodedEvent[]): Promise<string[]> {
    if (!this.db.inTransaction) throw new OutsideTransactionError();
    if (!rows.length) return [];
    // One statement for the whole set, then a notify that other processes' relays (replicas, or a
    // service beside an import job) hear on commit.
    await queryWith(this.db.manager, (params) => `WITH added AS (${this.insertSql(rows, params)} RETURNING 1) SELECT ${this.notifySql(params, '(SELECT count(*) FROM added)::text')}`);
    this.db.onCommit(() => this.wakeRelays());
    return rows.map((r) => r.id);
  }

  /**
   * The same insert and notify, as part of a statement that writes the change the events describe
   * (one statement commits as a whole, as a transaction does): `keep` lists the aggregate ids
   * whose events are kept. Call `written()` once that statement has run.
   */
  dependentInsert(rows: EncodedEvent[]): DependentInsert {
    return { sql: (params, keep) => this.insertSql(rows, params, keep), select: (params) => this.notifySql(params, "''") };
  }

  /** After a `dependentInsert`'s statement: wakes this process's relays (others hear the notify). */
  written(): void {
    this.db.onCommit(() => this.wakeRelays());
  }

  private wakeRelays(): void {
    this.wakers.forEach((wake) => wake());
  }

  /**
   * The rows go in as one JSON document with each envelope embedded as it is (a `json` column keeps
   * its text byte for byte): no escaping of the envelopes on either side, where text[] parameters
   * cost pg a regex pass per element.
   */
  private insertSql(rows: EncodedEvent[], params: SqlParams, keep?: string): string {
    let json = '[';
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      json += `${i ? ',' : ''}{"id":${JSON.stringify(r.id)},"type":${JSON.stringify(r.type)},"topic":${JSON.stringify(r.topic)},"aggregate_id":${JSON.stringify(r.aggregateId)},"aggregate_version":${JSON.stringify(r.aggregateVersion)},"data":${r.data}}`;
    }
    return `INSERT INTO "${schemaOf(this.db)}".outbox (id, type, topic, aggregate_id, aggregate_version, data)
         SELECT r.id, r.type, r.topic, r.aggregate_id, r.aggregate_version, r.data::text
         FROM json_to_recordset(${params.add(json + ']')}::json) AS r(id uuid, type text, topic text, aggregate_id text, aggregate_version bigint, data json)${keep ? `
         WHERE r.aggregate_id IN (${keep})` : ''}`;
  }

  private notifySql(params: SqlParams, payload: string): string {
    return `pg_notify(${params.add(notifyChannel(this.db))}, ${payload})`;
  }
}

export function schemaOf(db: Db): string {
  return String((db.dataSource.options as { schema?: string }).schema ?? 'public');
}

export function notifyChannel(db: Db): string {
  return `pace_outbox_${schemaOf(db)}`;
}
