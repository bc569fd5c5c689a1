import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import { PublishJobEntity } from './job.entity';

export interface ClaimedJob {
  id: string;
  listingId: string;
  portal: string;
  generation: number;
  attempts: number;
}

@Injectable()
export class JobsRepository {
  constructor(private readonly db: Db) {}

  private get table(): string {
    return `"${String((this.db.dataSource.options as { schema?: string }).schema)}".publish_job`;
  }

  /** (Re-)arms the job of a listing on a portal: due now, attempts reset, a new generation. */
  async arm(listingId: string, portal: string): Promise<void> {
    await this.db.manager.query(
      `INSERT INTO ${this.table} (id, listing_id, portal, run_at, generation, attempts)
       VALUES ($1, $2, $3, now(), 1, 0)
       ON CONFLICT (listing_id, portal) DO UPDATE SET run_at = now(), generation = publish_job.generation + 1, attempts = 0, last_error = NULL`,
      [uuidv7(), listingId, portal],
    );
  }

  /**
   * Arms a check for Property Finder publications still `publishing` after `afterMs` (a webhook
   * lost or late), unless a job exists already. Returns how many were armed.
   */
  async armStalePublishing(afterMs: number): Promise<number> {
    const schema = String((this.db.dataSource.options as { schema?: string }).schema);
    const rows: unknown[] = await this.db.manager.query(
      `INSERT INTO ${this.table} (id, listing_id, portal, run_at, generation, attempts)
       SELECT gen_random_uuid(), p.listing_id, p.portal, now(), 1, 0 FROM "${schema}".publication p
       WHERE p.portal = 'propertyfinder' AND p.state = 'publishing' AND p.desired_state = 'published'
         AND p.changed_at < now() - ($1 || ' milliseconds')::interval
       LIMIT 100
       ON CONFLICT (listing_id, portal) DO NOTHING
       RETURNING id`,
      [String(afterMs)],
    );
    return rows.length;
  }

  /** Claims up to `limit` due jobs for `leaseMs` (other replicas skip them; a crash frees them). */
  async claim(limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    const rows: Record<string, unknown>[] = await this.db.manager.query(
      // A CTE, so the driver hands back the claimed rows (a bare UPDATE answers [rows, count]).
      `WITH claimed AS (UPDATE ${this.table} j SET locked_until = now() + ($2 || ' milliseconds')::interval, attempts = j.attempts + 1
       WHERE j.id IN (
         SELECT id FROM ${this.table}
         WHERE run_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING j.id, j.listing_id, j.portal, j.generation, j.attempts)
       SELECT * FROM claimed`,
      [limit, String(leaseMs)],
    );
    return rows.map((r) => ({ id: String(r.id), listingId: String(r.listing_id), portal: String(r.portal), generation: Number(r.generation), attempts: Number(r.attempts) }));
  }

  /** Done: deletes the job unless it was re-armed meanwhile (then it just runs again). */
  async complete(job: ClaimedJob): Promise<void> {
    await this.db.manager.query(`DELETE FROM ${this.table} WHERE id = $1 AND generation = $2`, [job.id, job.generation]);
    await this.db.manager.query(`UPDATE ${this.table} SET locked_until = NULL WHERE id = $1`, [job.id]);
  }

  /** Runs it again after `delayMs` (unless re-armed meanwhile, which makes it due now). */
  async retryLater(job: ClaimedJob, delayMs: number, error: string): Promise<void> {
    await this.db.manager.query(
      `UPDATE ${this.table} SET locked_until = NULL, last_error = $3,
         run_at = CASE WHEN generation = $2 THEN now() + ($4 || ' milliseconds')::interval ELSE run_at END
       WHERE id = $1`,
      [job.id, job.generation, error, String(delayMs)],
    );
  }

  pending(listingId: string): Promise<PublishJobEntity[]> {
    return this.db.repository(PublishJobEntity).find({ where: { listingId } });
  }
}
