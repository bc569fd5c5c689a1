import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import { Db } from '@pace/database';
import type { ProjectedListing } from '../projection/listing.model';

export interface FeedMeta {
  count: number;
  lastModified: Date | null;
}

export interface FeedRowRaw {
  data: ProjectedListing;
  state: string;
  changed_at: Date;
}

/**
 * The Bayut feed's rows, read from one consistent snapshot (REPEATABLE READ, read only) through
 * a server-side cursor in batches: the ETag and the body describe the same data, and memory does
 * not grow with the number of listings.
 */
@Injectable()
export class FeedRepository {
  constructor(private readonly db: Db) {}

  private get schema(): string {
    return String((this.db.dataSource.options as { schema?: string }).schema);
  }

  /** Live rows, and rows that left the portal within the retention window (sent as `deleted`). */
  private where(): string {
    return `p.portal = 'bayut' AND (p.state = 'live' OR (p.live_since IS NOT NULL AND p.changed_at > now() - ($1 || ' hours')::interval))`;
  }

  async withSnapshot<T>(work: (reader: FeedReader) => Promise<T>): Promise<T> {
    const runner = this.db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work(new FeedReader(runner, this.schema, this.where()));
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

export class FeedReader {
  constructor(
    private readonly runner: QueryRunner,
    private readonly schema: string,
    private readonly where: string,
  ) {}

  async meta(retentionHours: number): Promise<FeedMeta> {
    const [row] = (await this.runner.query(
      `SELECT count(*)::int AS count, max(greatest(p.changed_at, l.projected_at)) AS last
       FROM "${this.schema}".publication p JOIN "${this.schema}".listing l ON l.id = p.listing_id
       WHERE ${this.where}`,
      [String(retentionHours)],
    )) as { count: number; last: Date | null }[];
    return { count: row?.count ?? 0, lastModified: row?.last ?? null };
  }

  /** Opens the cursor, then yields batches of `size` rows in reference order. */
  async *rows(retentionHours: number, size: number): AsyncGenerator<FeedRowRaw[]> {
    await this.runner.query(
      `DECLARE bayut_feed NO SCROLL CURSOR FOR
       SELECT l.data, p.state, p.changed_at
       FROM "${this.schema}".publication p JOIN "${this.schema}".listing l ON l.id = p.listing_id
       WHERE ${this.where}
       ORDER BY l.reference`,
      [String(retentionHours)],
    );
    for (;;) {
      const batch = (await this.runner.query(`FETCH ${Math.floor(size)} FROM bayut_feed`)) as FeedRowRaw[];
      if (!batch.length) break;
      yield batch;
    }
    await this.runner.query('CLOSE bayut_feed');
  }
}
