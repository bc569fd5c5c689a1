import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Readable } from 'node:stream';
import { Db } from '@pace/database';

export interface FeedMeta {
  count: number;
  lastModified: Date | null;
}

/**
 * The Bayut feed's rows, read from one consistent snapshot (REPEATABLE READ, read only): the
 * ETag and the body describe the same data. The body is one binary `COPY (SELECT …) TO STDOUT`
 * whose single column is each finished `<Property>` element (`propertyElement` in SQL), streamed
 * with backpressure: memory does not grow with the number of listings, and the bytes are never
 * decoded into JavaScript strings.
 */
@Injectable()
export class FeedRepository {
  constructor(private readonly db: Db) {}

  private get schema(): string {
    return String((this.db.dataSource.options as { schema?: string }).schema);
  }

  async withSnapshot<T>(work: (reader: FeedReader) => Promise<T>): Promise<T> {
    // A pooled pg client of our own: COPY streams need the driver's client, not TypeORM's runner.
    const pool = (this.db.dataSource.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master;
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work(new FeedReader(client, this.schema));
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A connection torn mid-COPY is not reusable.
      client.release(error as Error);
      throw error;
    }
  }
}

export class FeedReader {
  constructor(
    private readonly client: PoolClient,
    private readonly schema: string,
  ) {}

  /** Live rows, and rows that left the portal within the retention window (sent as `deleted`). */
  private where(retentionHours: number): string {
    const hours = Number(retentionHours);
    if (!Number.isFinite(hours) || hours < 0) throw new Error('retention must be a non-negative number of hours');
    return `p.portal = 'bayut' AND p.document IS NOT NULL AND (p.state = 'live' OR (p.live_since IS NOT NULL AND p.changed_at > now() - interval '${hours} hours'))`;
  }

  private from(): string {
    return `"${this.schema}".publication p JOIN "${this.schema}".listing l ON l.id = p.listing_id`;
  }

  async meta(retentionHours: number): Promise<FeedMeta> {
    const { rows } = await this.client.query<{ count: number; last: Date | null }>(
      `SELECT count(*)::int AS count, max(greatest(p.changed_at, l.projected_at)) AS last FROM ${this.from()} WHERE ${this.where(retentionHours)}`,
    );
    return { count: rows[0]?.count ?? 0, lastModified: rows[0]?.last ?? null };
  }

  /**
   * Every `<Property>` in reference order, as binary COPY (see CopyBinaryValues). `tail` is the
   * pull's own tags (our own serialiser's output), quoted as a literal: COPY takes no parameters.
   */
  properties(retentionHours: number, tail: string): Readable {
    const live = `p.state = 'live'`;
    const sql = `COPY (
      SELECT '<Property>' || p.document
        || '<Property_Status>' || CASE WHEN ${live} THEN 'live' ELSE 'deleted' END || '</Property_Status>'
        || '<Last_Updated>' || to_char(CASE WHEN ${live} THEN (l.data->>'updatedAt')::timestamptz ELSE p.changed_at END AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '</Last_Updated>'
        || ${this.client.escapeLiteral(tail)} || '</Property>'
      FROM ${this.from()} WHERE ${this.where(retentionHours)} ORDER BY l.reference
    ) TO STDOUT (FORMAT binary)`;
    return this.client.query(copyTo(sql));
  }
}
