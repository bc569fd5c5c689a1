import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InvalidCursorError } from './cursor';

/*
 * Change feeds for machine clients (the Salesforce adapter): every row of a synced table carries
 * `change_seq`, the 64-bit id of the transaction that last wrote it (a BEFORE INSERT OR UPDATE
 * trigger sets `pg_current_xact_id()`), and deletions leave a row in the schema's `tombstone`
 * table (an AFTER DELETE trigger). A page holds only rows whose `change_seq` is below the
 * snapshot's xmin — every transaction below it has ended, so no row can later appear with a
 * position behind a cursor — ordered by (change_seq, id). Ordering by `updated_at` instead would
 * miss rows: a transaction that started earlier can commit later with an older timestamp.
 */

/** A place in a feed: the writing transaction's id (decimal string: it is 64-bit) and the row id. */
export interface SyncPosition {
  seq: string;
  id: string;
}

/** The horizon of one page, read once and used for every stream of it (see `SYNC_HORIZON_SQL`). */
export const SYNC_HORIZON_SQL = `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`;

/** The feed's start: before every row (transaction ids are positive, uuids ≥ the nil uuid). */
export const SYNC_START: SyncPosition = { seq: '0', id: '00000000-0000-0000-0000-000000000000' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEQ = /^(0|[1-9][0-9]{0,18})$/;
const CURSOR_VERSION = 1;

/** Opaque to clients: base64url of `{ v, feed, seq, id }`; bound to its feed. */
export function encodeSyncCursor(feed: string, position: SyncPosition): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, feed, seq: position.seq, id: position.id })).toString('base64url');
}

/** The position a cursor names; InvalidCursorError (400 `invalid-cursor`) says what is wrong with it. */
export function decodeSyncCursor(feed: string, cursor: string | undefined): SyncPosition {
  if (cursor === undefined || cursor === '') return SYNC_START;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError('it is not base64url');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('it does not decode to a cursor');
  }
  if (!value || typeof value !== 'object') throw new InvalidCursorError('it does not decode to a cursor');
  const { v, feed: of, seq, id } = value as Record<string, unknown>;
  if (v !== CURSOR_VERSION) throw new InvalidCursorError(`unknown cursor version ${JSON.stringify(v)}`);
  if (of !== feed) throw new InvalidCursorError(`it belongs to the ${typeof of === 'string' ? of : 'unknown'} feed, not ${feed}`);
  if (typeof seq !== 'string' || !SEQ.test(seq) || BigInt(seq) > 9223372036854775807n) throw new InvalidCursorError('its position is not a transaction id');
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursorError('its id is not a uuid');
  return { seq, id };
}

/**
 * A cursor is always issued below the horizon, and the horizon never moves back on a healthy
 * database; one at or above it comes from another server's history (a logical dump restored
 * into a new server, or a failover that lost transactions), where new writes would take ids the
 * client has already passed. Refused, so the client starts again instead of silently missing them.
 */
export function checkSyncPosition(after: SyncPosition, horizon: string): void {
  if (after !== SYNC_START && BigInt(after.seq) >= BigInt(horizon)) {
    throw new InvalidCursorError('it is ahead of this database, which was restored or replaced; start again without a cursor');
  }
}

/** Orders positions as PostgreSQL orders `(change_seq, id)` (uuids compare as lower-case hex). */
export function compareSyncPositions(a: SyncPosition, b: SyncPosition): number {
  const sa = BigInt(a.seq);
  const sb = BigInt(b.seq);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface SyncPage<T> {
  items: T[];
  /** Always set: where the next call starts (the last item's position, or the cursor given). */
  next: string;
  /** More changes are ready now; false: caught up for the moment (poll again later with `next`). */
  hasMore: boolean;
}

/**
 * One page from ordered streams (live rows, tombstones), each fetched with `limit + 1` rows
 * after `after` and below the same horizon: merged by position, the first `limit` taken. Every
 * stream holding fewer than `limit + 1` rows was read to its end, so when all of them together
 * hold at most `limit`, nothing more is ready.
 */
export function mergeSyncStreams<T>(
  feed: string,
  after: SyncPosition,
  streams: T[][],
  positionOf: (item: T) => SyncPosition,
  limit: number,
): SyncPage<T> {
  const all = streams.flat();
  const items = all.sort((a, b) => compareSyncPositions(positionOf(a), positionOf(b))).slice(0, limit);
  const last = items.length ? positionOf(items[items.length - 1]) : after;
  return { items, next: encodeSyncCursor(feed, last), hasMore: all.length > limit };
}

/**
 * A row removed from a synced table (any DELETE: the service, an import's rollback, by hand),
 * written by the table's AFTER DELETE trigger; re-inserting the id removes it (the insert
 * trigger). Each service keeps its own in its own schema, like the outbox.
 */
@Entity('tombstone')
// Each feed reads one entity's tombstones in (change_seq, id) order.
@Index('tombstone_entity_change_seq_id', ['entity', 'changeSeq', 'id'])
export class SyncTombstoneEntity {
  /** The table the row was removed from, e.g. `applicant`. */
  @PrimaryColumn('text')
  entity!: string;

  @PrimaryColumn('uuid')
  id!: string;

  /** Set when the row was merged into another before it went (the survivor). */
  @Column({ type: 'uuid', nullable: true })
  mergedInto!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  removedAt!: Date;

  /** The deleting transaction's id (bigint: a decimal string from pg). */
  @Column({ type: 'bigint' })
  changeSeq!: string;
}
