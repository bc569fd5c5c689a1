import type { Db } from '@pace/database';
import { ImportBatchEntity } from './entities';
import { takeTransactionTurn } from './turn';
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

  /** Takes the entity's import turn for the caller's transaction (a rollback): see `turn.ts`. */
  takeTurn(entity: string): Promise<void> {
    return takeTransactionTurn((sql, p) => this.db.manager.query(sql, p), entity);
  }

  async markRolledBack(id: string, count: number): Promise<void> {
    await this.db.repository(ImportBatchEntity).update({ id }, { rolledBackAt: new Date(), rolledBackCount: count });
  }
}
