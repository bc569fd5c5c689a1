import type { Db } from '@pace/database';
import { ImportBatchEntity } from './entities';
import { ImportBusyError } from './errors';
import type { BatchInfo, ImportSummary } from './runner';

/** The service's record of its import batches (joins the caller's transaction when in one). */
export class ImportBatches {
  constructor(private readonly db: Db) {}

  async begin(batch: BatchInfo): Promise<void> {
    await this.db.repository(ImportBatchEntity).insert({ id: batch.id, entity: batch.entity, file: batch.file.split(/[\\/]/).pop() ?? batch.file, startedAt: new Date() });
  }

  async finish(batch: BatchInfo, summary: ImportSummary): Promise<void> {
    const { entity: _e, batchId: _b, dryRun: _d, ...counts } = summary;
    await this.db.repository(ImportBatchEntity).update({ id: batch.id }, { finishedAt: new Date(), summary: counts as never });
  }

  /** The batch, locked until the transaction ends (a rollback runs once). */
  findForUpdate(id: string): Promise<ImportBatchEntity | null> {
    return this.db.repository(ImportBatchEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Takes the entity's import turn for the caller's transaction (a rollback): no import of the
   * entity may run meanwhile, or it could link a duplicate to a record being deleted.
   */
  async takeTurn(entity: string): Promise<void> {
    const [{ ok }] = (await this.db.manager.query(`SELECT pg_try_advisory_xact_lock(${IMPORT_TURN_SQL}) AS ok`, [entity])) as { ok: boolean }[];
    if (!ok) throw new ImportBusyError(`an ${entity} import is running on this database; roll back when it has finished`);
  }

  async markRolledBack(id: string, count: number): Promise<void> {
    await this.db.repository(ImportBatchEntity).update({ id }, { rolledBackAt: new Date(), rolledBackCount: count });
  }
}

/** The advisory lock key of an entity's imports (`$1`: the entity): one run or rollback at a time. */
export const IMPORT_TURN_SQL = `hashtextextended('pace-import:' || $1, 0)`;
