import { Injectable } from '@nestjs/common';
import { Db } from '@pace/database';
import { ListingProjectionEntity } from './listing.entity';
import type { ProjectedListing } from './listing.model';

@Injectable()
export class ProjectionRepository {
  constructor(private readonly db: Db) {}

  /** The projected version of a listing, locked until the transaction ends. */
  async lockedVersion(id: string): Promise<number | undefined> {
    const row = await this.db.repository(ListingProjectionEntity).findOne({ where: { id }, select: { id: true, version: true }, lock: { mode: 'pessimistic_write' } });
    return row ? Number(row.version) : undefined;
  }

  async replace(listing: ProjectedListing): Promise<void> {
    await this.db
      .repository(ListingProjectionEntity)
      .upsert({ id: listing.id, reference: listing.reference, version: String(listing.version), status: listing.status, data: listing, projectedAt: new Date() }, ['id']);
  }

  async find(id: string): Promise<ProjectedListing | undefined> {
    const row = await this.db.repository(ListingProjectionEntity).findOne({ where: { id } });
    return row?.data;
  }

  async findByReference(reference: string): Promise<ProjectedListing | undefined> {
    const row = await this.db.repository(ListingProjectionEntity).findOne({ where: { reference } });
    return row?.data;
  }

  /** Ids of every projected listing, in batches (re-evaluating a portal after its settings change). */
  async ids(after: string | null, limit: number): Promise<string[]> {
    const q = this.db.manager.createQueryBuilder(ListingProjectionEntity, 'l').select('l.id', 'id').orderBy('l.id').limit(limit);
    if (after) q.where('l.id > :after', { after });
    return (await q.getRawMany<{ id: string }>()).map((r) => r.id);
  }
}
