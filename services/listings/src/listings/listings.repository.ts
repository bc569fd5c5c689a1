import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import { ApprovalEntity } from '../lifecycle/approval.entity';
import { ListingEntity, ListingPriceEntity } from './listing.entity';

type ImportColumns = 'salesforceId' | 'importBatchId' | 'importHash';
export type NewListing = Omit<ListingEntity, 'createdAt' | 'updatedAt' | 'version' | 'searchVector' | 'statusChangedAt' | 'publishedAt' | ImportColumns> &
  Partial<Pick<ListingEntity, ImportColumns>>;
export type ListingChanges = Partial<Omit<ListingEntity, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'searchVector' | 'reference' | ImportColumns>>;

@Injectable()
export class ListingsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.repository(ListingEntity);
  }

  /** Next number of the reference sequence (ALS-S-000123 → 123). */
  async nextReferenceNumber(): Promise<number> {
    const rows: { n: string }[] = await this.db.manager.query(`SELECT nextval('listings.listing_reference_seq') AS n`);
    return Number(rows[0].n);
  }

  async insert(listing: NewListing): Promise<ListingEntity> {
    await this.repo.insert(listing);
    return this.repo.findOneByOrFail({ id: listing.id });
  }

  findById(id: string): Promise<ListingEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<ListingEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.repo.createQueryBuilder('l').where('l.id = ANY(:ids)', { ids }).getMany();
  }

  /** Reads the row and locks it until the transaction ends, so concurrent writers queue. */
  lockById(id: string): Promise<ListingEntity | null> {
    return this.repo.createQueryBuilder('l').setLock('pessimistic_write').where('l.id = :id', { id }).getOne();
  }

  /** Applies `changes` and bumps `version` and `updatedAt`; returns the new row. */
  async update(id: string, changes: ListingChanges): Promise<ListingEntity> {
    await this.repo.update({ id }, changes);
    return this.repo.findOneByOrFail({ id });
  }

  /** A change beside the row (its media) is still a new version of the listing. */
  async touch(id: string): Promise<ListingEntity> {
    await this.db.manager.query(`UPDATE listings.listing SET version = version + 1, updated_at = now() WHERE id = $1`, [id]);
    return this.repo.findOneByOrFail({ id });
  }

  async recordPrice(listing: ListingEntity, changedBy: string): Promise<void> {
    if (listing.priceFils === null) return;
    await this.db.repository(ListingPriceEntity).insert({
      id: uuidv7(),
      listingId: listing.id,
      priceFils: listing.priceFils,
      currency: listing.currency,
      purpose: listing.purpose,
      rentFrequency: listing.rentFrequency,
      changedAt: new Date(),
      changedBy,
    });
  }

  priceHistory(listingId: string): Promise<ListingPriceEntity[]> {
    return this.db.repository(ListingPriceEntity).find({ where: { listingId }, order: { changedAt: 'ASC', id: 'ASC' } });
  }

  async recordApproval(approval: Omit<ApprovalEntity, 'id'>): Promise<void> {
    await this.db.repository(ApprovalEntity).insert({ id: uuidv7(), ...approval });
  }

  /** The latest review decision per listing. */
  async latestApprovals(listingIds: string[]): Promise<Map<string, ApprovalEntity>> {
    if (!listingIds.length) return new Map();
    const rows = await this.db
      .repository(ApprovalEntity)
      .createQueryBuilder('a')
      .distinctOn(['a.listing_id'])
      .where('a.listing_id = ANY(:ids)', { ids: listingIds })
      .orderBy('a.listing_id')
      .addOrderBy('a.decided_at', 'DESC')
      .getMany();
    return new Map(rows.map((r) => [r.listingId, r]));
  }

  /** Published listings whose permit (where one is needed) expired before `today`. */
  async publishedWithLapsedPermit(emirates: string[], today: string, limit: number): Promise<ListingEntity[]> {
    return this.repo
      .createQueryBuilder('l')
      .where(`l.status = 'published'`)
      .andWhere('l.emirate = ANY(:emirates)', { emirates })
      .andWhere('l.permit_expiry_date < :today', { today })
      .orderBy('l.permit_expiry_date')
      .limit(limit)
      .getMany();
  }
}
