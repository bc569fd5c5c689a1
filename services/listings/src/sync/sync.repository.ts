import { Injectable } from '@nestjs/common';
import { Db, SYNC_HORIZON_SQL, type SyncPosition, SyncTombstoneEntity } from '@pace/database';
import { ListingEntity } from '../listings/listing.entity';

export interface Positioned<T> {
  seq: string;
  row: T;
}

/**
 * The listings feed's SQL: rows after a position, below a horizon, in (change_seq, id) order,
 * `limit + 1` of them, on the (change_seq, id) indexes.
 */
@Injectable()
export class SyncRepository {
  constructor(private readonly db: Db) {}

  /** Every transaction with an id below it has ended (read once per page, for both streams). */
  async horizon(): Promise<string> {
    const rows: { horizon: string }[] = await this.db.manager.query(SYNC_HORIZON_SQL);
    return rows[0].horizon;
  }

  async listings(after: SyncPosition, horizon: string, limit: number): Promise<Positioned<ListingEntity>[]> {
    const { entities, raw } = await this.db
      .repository(ListingEntity)
      .createQueryBuilder('l')
      .addSelect('l.change_seq::text', 'sync_seq')
      .where('(l.change_seq, l.id) > (:seq::bigint, :id::uuid)', { seq: after.seq, id: after.id })
      .andWhere('l.change_seq < :horizon::bigint', { horizon })
      .orderBy('l.change_seq', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .limit(limit + 1)
      .getRawAndEntities<{ sync_seq: string }>();
    return entities.map((row, i) => ({ seq: raw[i].sync_seq, row }));
  }

  async tombstones(after: SyncPosition, horizon: string, limit: number): Promise<Positioned<SyncTombstoneEntity>[]> {
    const rows = await this.db
      .repository(SyncTombstoneEntity)
      .createQueryBuilder('x')
      .where(`x.entity = 'listing'`)
      .andWhere('(x.change_seq, x.id) > (:seq::bigint, :id::uuid)', { seq: after.seq, id: after.id })
      .andWhere('x.change_seq < :horizon::bigint', { horizon })
      .orderBy('x.change_seq', 'ASC')
      .addOrderBy('x.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return rows.map((row) => ({ seq: row.changeSeq, row }));
  }
}
