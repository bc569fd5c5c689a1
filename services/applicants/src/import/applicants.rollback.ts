import { Db } from '@pace/database';
import type { Outbox } from '@pace/events';
import { ImportBatches } from '@pace/import';
import { ApplicantEvents } from '../applicants/applicant.events';
import { auditState } from '../applicants/applicant.view';
import { AuditRepository } from '../audit/audit.repository';
import { TimelineRepository } from '../timeline/timeline.repository';
import { ApplicantsImportRepository } from './applicants-import.repository';
import { IMPORT_ACTOR } from './applicants.importer';

export class BatchAlreadyRolledBackError extends Error {}

export interface RollbackResult {
  batchId: string;
  entity: string;
  deleted: number;
  unlinked: number;
}

/**
 * Deletes exactly the applicants the batch created (with their timelines, leads and links), in
 * one transaction, with an audit row and an `applicant-deleted` event for each. Applicants the
 * batch only updated or linked to stay. Returns null when the batch is not an applicants batch.
 */
export async function rollbackApplicantsBatch(db: Db, outbox: Outbox, batchId: string): Promise<RollbackResult | null> {
  const batches = new ImportBatches(db);
  const repo = new ApplicantsImportRepository(db);
  const timeline = new TimelineRepository(db);
  const audit = new AuditRepository(db);
  const events = new ApplicantEvents(outbox);
  return db.transaction(async () => {
    const batch = await batches.findForUpdate(batchId);
    if (!batch) return null;
    await batches.takeTurn(batch.entity);
    if (batch.rolledBackAt) throw new BatchAlreadyRolledBackError(`batch ${batchId} was rolled back at ${batch.rolledBackAt.toISOString()} (${batch.rolledBackCount} records)`);
    let deleted = 0;
    let after: string | undefined;
    for (;;) {
      const page = await repo.createdBy(batchId, 1000, after);
      if (!page.length) break;
      after = page[page.length - 1].id;
      const ids = page.map((a) => a.id);
      await audit.recordMany(IMPORT_ACTOR, page.map((a) => ({ applicantId: a.id, action: 'import-rollback', before: auditState(a), after: { importBatchId: batchId } })));
      await timeline.deleteFor(ids);
      deleted += await repo.deleteApplicants(ids);
      await events.deletedMany(page, 'import-rollback', batchId);
    }
    const unlinked = await repo.deleteLinksOf(batchId);
    await batches.markRolledBack(batchId, deleted);
    return { batchId, entity: batch.entity, deleted, unlinked };
  });
}
