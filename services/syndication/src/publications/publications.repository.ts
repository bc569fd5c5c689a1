import { Injectable } from '@nestjs/common';
import { Db, type Keyset } from '@pace/database';
import { ListingProjectionEntity } from '../projection/listing.entity';
import { PublicationEntity } from './publication.entity';

@Injectable()
export class PublicationsRepository {
  constructor(private readonly db: Db) {}

  /** The publication of a listing on a portal, locked until the transaction ends. */
  locked(listingId: string, portal: string): Promise<PublicationEntity | null> {
    return this.db.repository(PublicationEntity).findOne({ where: { listingId, portal }, lock: { mode: 'pessimistic_write' } });
  }

  find(listingId: string, portal: string): Promise<PublicationEntity | null> {
    return this.db.repository(PublicationEntity).findOne({ where: { listingId, portal } });
  }

  lockedByPortalId(portal: string, portalListingId: string): Promise<PublicationEntity | null> {
    return this.db.repository(PublicationEntity).findOne({ where: { portal, portalListingId }, lock: { mode: 'pessimistic_write' } });
  }

  forListing(listingId: string): Promise<PublicationEntity[]> {
    return this.db.repository(PublicationEntity).find({ where: { listingId }, order: { portal: 'ASC' } });
  }

  async save(publication: PublicationEntity): Promise<void> {
    await this.db.repository(PublicationEntity).save(publication);
  }

  /** A page of publications (newest change first), optionally of one portal and state. */
  async page(filter: { portal?: string; state?: string }, limit: number, after?: Keyset) {
    const q = this.db.manager
      .createQueryBuilder(PublicationEntity, 'p')
      .innerJoin(ListingProjectionEntity, 'l', 'l.id = p.listing_id')
      .select(['p.*', 'l.reference AS reference'])
      .orderBy('p.changed_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (filter.portal) q.andWhere('p.portal = :portal', { portal: filter.portal });
    if (filter.state) q.andWhere('p.state = :state', { state: filter.state });
    if (after) q.andWhere('(p.changed_at, p.id) < (:after::timestamptz, :id::uuid)', { after: after.after, id: after.id });
    return q.getRawMany<Record<string, unknown>>();
  }
}
