import type { Db } from './transaction';
import { SYNC_HORIZON_SQL, type SyncPosition, SyncTombstoneEntity } from './sync';

/** A row with its place in a change feed. */
export interface Positioned<T> {
  seq: string;
  row: T;
}

/**
 * The change feeds' SQL, for any synced table of a service's schema: rows after a position,
 * below a horizon, in (change_seq, id) order, `limit + 1` of them (the row-value comparison uses
 * the (change_seq, id) indexes), and the schema's tombstones of one table the same way.
 */
export class SyncReader {
  constructor(protected readonly db: Db) {}

  /** Every transaction with an id below it has ended (read once per page, for every stream). */
  async horizon(): Promise<string> {
    const rows: { horizon: string }[] = await this.db.manager.query(SYNC_HORIZON_SQL);
    return rows[0].horizon;
  }

  async rowsAfter<T extends { id: string }>(entity: new () => T, alias: string, after: SyncPosition, horizon: string, limit: number): Promise<Positioned<T>[]> {
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

  /** Tombstones of rows removed from `table`. */
  async tombstones(table: string, after: SyncPosition, horizon: string, limit: number): Promise<Positioned<SyncTombstoneEntity>[]> {
    const rows = await this.db
      .repository(SyncTombstoneEntity)
      .createQueryBuilder('x')
      .where('x.entity = :table', { table })
      .andWhere('(x.change_seq, x.id) > (:seq::bigint, :id::uuid)', { seq: after.seq, id: after.id })
      .andWhere('x.change_seq < :horizon::bigint', { horizon })
      .orderBy('x.change_seq', 'ASC')
      .addOrderBy('x.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return rows.map((row) => ({ seq: row.changeSeq, row }));
  }
}
