import { Db } from '@pace/database';
import type { Outbox } from '@pace/events';
import { ImportBatches } from '@pace/import';
import { AuditRepository } from '../audit/audit.repository';
import { publishDeletedMany } from '../listings/listing.events';
import { auditState } from '../listings/listing.view';
import { ListingsImportRepository } from './listings-import.repository';
import { IMPORT_ACTOR } from './listings.importer';

export class ListingsBatchAlreadyRolledBackError extends Error {}

/**
 * Deletes exactly the listings the batch created (with prices, media rows, approvals, notices),
 * in one transaction, with an audit row and a `listing-deleted` event each (syndication takes them
 * off the portals). Listings it only updated stay. Null when the batch is not a listings batch.
 * Media bytes in the store are left for the store's lifecycle rules (imports bring none).
 */
export async function rollbackListingsBatch(db: Db, outbox: Outbox, batchId: string): Promise<{ batchId: string; entity: string; deleted: number; unlinked: number } | null> {
  const batches = new ImportBatches(db);
  const repo = new ListingsImportRepository(db);
  const audit = new AuditRepository(db);
  return db.transaction(async () => {
    const batch = await batches.findForUpdate(batchId);
    if (!batch) return null;
    await batches.takeTurn(batch.entity);
    if (batch.rolledBackAt) throw new ListingsBatchAlreadyRolledBackError(`batch ${batchId} was rolled back at ${batch.rolledBackAt.toISOString()} (${batch.rolledBackCount} records)`);
    let deleted = 0;
    for (;;) {
      const page = await repo.createdBy(batchId, 1000);
      if (!page.length) break;
      await audit.recordMany(IMPORT_ACTOR, page.map((l) => ({ listingId: l.id, action: 'import-rollback', before: auditState(l), after: { importBatchId: batchId } })));
      deleted += await repo.deleteListings(page.map((l) => l.id));
      await publishDeletedMany(outbox, page, 'import-rollback', batchId);
    }
    await batches.markRolledBack(batchId, deleted);
    return { batchId, entity: batch.entity, deleted, unlinked: 0 };
  });
}
