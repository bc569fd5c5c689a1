import { Injectable } from '@nestjs/common';
import { Db, SYNC_HORIZON_SQL, type SyncPosition, SyncTombstoneEntity } from '@pace/database';
import { ApplicantEntity } from '../applicants/applicant.entity';
import { TimelineEntryEntity } from '../timeline/timeline.entity';

/** A row with its place in the feed. */
export interface Positioned<T> {
  seq: string;
  row: T;
}

/**
 * The feeds' SQL: rows after a position, below a horizon, in (change_seq, id) order, `limit + 1`
 * of them. The row-value comparison uses the (change_seq, id) indexes.
 */
@Injectable()
export class SyncRepository {
  constructor(private readonly db: Db) {}

  /** Every transaction with an id below it has ended (read once per page, for every stream). */
  async horizon(): Promise<string> {
    const rows: { horizon: string }[] = await this.db.manager.query(SYNC_HORIZON_SQL);
    return rows[0].horizon;
  }

  applicants(after: SyncPosition, horizon: string, limit: number): Promise<Positioned<ApplicantEntity>[]> {
    return this.after(ApplicantEntity, 'a', after, horizon, limit);
  }

  activities(after: SyncPosition, horizon: string, limit: number): Promise<Positioned<TimelineEntryEntity>[]> {
    return this.after(TimelineEntryEntity, 't', after, horizon, limit);
  }

  async tombstones(entity: string, after: SyncPosition, horizon: string, limit: number): Promise<Positioned<SyncTombstoneEntity>[]> {
    const rows = await this.db
      .repository(SyncTombstoneEntity)
      .createQueryBuilder('x')
      .where('x.entity = :entity', { entity })
      .andWhere('(x.change_seq, x.id) > (:seq::bigint, :id::uuid)', { seq: after.seq, id: after.id })
      .andWhere('x.change_seq < :horizon::bigint', { horizon })
      .orderBy('x.change_seq', 'ASC')
      .addOrderBy('x.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return rows.map((row) => ({ seq: row.changeSeq, row }));
  }

  private async after<T extends { id: string }>(
    entity: new () => T,
    alias: string,
    after: SyncPosition,
    horizon: string,
    limit: number,
  ): Promise<Positioned<T>[]> {
    const { entities, raw } = await this.db
      .repository(entity)
      .createQueryBuilder(alias)
      .addSelect(`${alias}.change_seq::text`, 'sync_seq')
      .where(`(${alias}.change_seq, ${alias}.id) > (:seq::bigint, :id::uuid)`, { seq: after.seq, id: after.id })
      .andWhere(`${alias}.change_seq < :horizon::bigint`, { horizon })
      .orderBy(`${alias}.change_seq`, 'ASC')
      .addOrderBy(`${alias}.id`, 'ASC')
      .limit(limit + 1)
      .getRawAndEntities<{ sync_seq: string }>();
    // One raw row per entity (no joins), in the same order.
    return entities.map((row, i) => ({ seq: raw[i].sync_seq, row }));
  }
}
