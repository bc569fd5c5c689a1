import { Injectable } from '@nestjs/common';
import { Db } from '@pace/database';
import { ListingProjectionEntity } from '../matching/listing-projection.entity';
import { ListingShareEntity } from './listing-share.entity';

export type ListingFacts = Pick<ListingProjectionEntity, 'id' | 'reference' | 'title' | 'status'>;

@Injectable()
export class SharesRepository {
  constructor(private readonly db: Db) {}

  /** What this service knows of these listings (from listing events); unknown ids are absent. */
  listings(ids: string[]): Promise<ListingFacts[]> {
    return this.db.repository(ListingProjectionEntity).createQueryBuilder('l').select(['l.id', 'l.reference', 'l.title', 'l.status']).where('l.id = ANY(:ids)', { ids }).getMany();
  }

  /** What an earlier attempt of the same request wrote, oldest first. */
  byIdempotencyKey(applicantId: string, key: string): Promise<ListingShareEntity[]> {
    return this.db.repository(ListingShareEntity).find({ where: { applicantId, idempotencyKey: key }, order: { id: 'ASC' } });
  }

  /** Joins the caller's transaction, with the timeline entry the shares point to. */
  async insert(rows: ListingShareEntity[]): Promise<void> {
    await this.db.repository(ListingShareEntity).insert(rows);
  }

  /** Newest first, `limit + 1` rows. */
  list(applicantId: string, limit: number, beforeId?: string, listingId?: string): Promise<ListingShareEntity[]> {
    const q = this.db.repository(ListingShareEntity).createQueryBuilder('s').where('s.applicant_id = :applicantId', { applicantId }).orderBy('s.id', 'DESC').limit(limit + 1);
    if (listingId) q.andWhere('s.listing_id = :listingId', { listingId });
    if (beforeId) q.andWhere('s.id < :beforeId', { beforeId });
    return q.getMany();
  }

  /** A merge: the merged applicant's shares go to the survivor with its timeline. */
  async moveAll(fromId: string, toId: string): Promise<void> {
    await this.db.repository(ListingShareEntity).update({ applicantId: fromId }, { applicantId: toId });
  }
}
