import { v7 as uuidv7 } from 'uuid';
import type { ListingSnapshot } from '@pace/contracts';
import { Db } from '@pace/database';
import type { Outbox } from '@pace/events';
import {
  type BatchInfo,
  type BatchOutcome,
  type CsvRow,
  type EntityImporter,
  ImportBatches,
  type ImportOptions,
  type ImportResult,
  type ImportSummary,
  ImportUsageError,
  type Mapping,
  type Prepared,
  checkHeader,
  loadMapping,
  runImport,
} from '@pace/import';
import { AuditRepository } from '../audit/audit.repository';
import type { ListingEntity } from '../listings/listing.entity';
import { listingSnapshot, publishCreatedMany, publishUpdatedMany } from '../listings/listing.events';
import { auditState } from '../listings/listing.view';
import type { MediaEntity } from '../media/media.entity';
import { MediaRepository } from '../media/media.repository';
import { type ImportedListing, LISTING_COLUMNS, REQUIRED_LISTING_FIELDS, prepareListing } from './listing.mapping';
import { type ImportRow, ListingsImportRepository } from './listings-import.repository';

export const IMPORT_ACTOR = { userId: 'import', role: 'system' };

export interface ListingsImportOptions extends ImportOptions {
  mappingFile?: string;
  /** PACE user id holding listings whose Salesforce owner is not in the mapping's `owners`. */
  agentId?: string;
  /** LISTINGS_REFERENCE_PREFIX of the service (default ALS). */
  referencePrefix?: string;
  /** How the service builds media URLs (LISTINGS_MEDIA_PUBLIC_URL, LISTINGS_MEDIA_ROUTE_BASE), for snapshots. */
  mediaPublicUrl?: string;
  mediaRouteBase?: string;
}

/** Columns → the API field names `listing-updated` reports in `changedFields`. */
const API_FIELD: Record<string, string> = {
  priceFils: 'price', emirate: 'location', community: 'location', subCommunity: 'location', building: 'location', titleEn: 'title', titleAr: 'title',
  descriptionEn: 'description', descriptionAr: 'description', permitNumber: 'permit', permitType: 'permit', permitExpiryDate: 'permit',
  landlordName: 'landlord', landlordPhone: 'landlord', landlordEmail: 'landlord',
};

/**
 * Propertybase listings → listings, keyed by Salesforce Id: new ones are created (with a
 * reference from the sequence, a price history row, an audit row, `listing-created`), known ones
 * updated when their content changed (`listing-updated` with the changed fields).
 */
export class ListingsImporter implements EntityImporter<ImportedListing> {
  readonly entity = 'listings';
  private readonly repo: ListingsImportRepository;
  private readonly audit: AuditRepository;
  private readonly media: MediaRepository;
  private readonly batches: ImportBatches;

  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly mapping: Mapping,
    private readonly options: ListingsImportOptions,
  ) {
    this.repo = new ListingsImportRepository(db);
    this.audit = new AuditRepository(db);
    this.media = new MediaRepository(db);
    this.batches = new ImportBatches(db);
  }

  checkHeader(header: string[], file: string): void {
    checkHeader(this.mapping, header, REQUIRED_LISTING_FIELDS, file);
  }

  prepare(row: CsvRow) {
    return prepareListing(this.mapping, row, this.options.agentId);
  }

  async begin(batch: BatchInfo): Promise<void> {
    if (!batch.dryRun) await this.batches.begin(batch);
  }

  analyze(): Promise<void> {
    return this.repo.analyze();
  }

  async finish(batch: BatchInfo, summary: ImportSummary): Promise<void> {
    if (!batch.dryRun) await this.batches.finish(batch, summary);
  }

  private readonly mediaUrl = (m: MediaEntity) =>
    this.options.mediaPublicUrl ? `${this.options.mediaPublicUrl.replace(/\/$/, '')}/${m.objectKey}` : `${this.options.mediaRouteBase ?? '/api/v1'}/listings/${m.listingId}/media/${m.id}/content`;

  /** Looks the batch's Salesforce Ids up; the returned commit writes it (listings have no in-file duplicate rule). */
  async plan(rows: Prepared<ImportedListing>[], batch: BatchInfo): Promise<() => Promise<BatchOutcome>> {
    const existing = new Map((await this.repo.bySalesforceIds(rows.map((r) => r.salesforceId))).map((l) => [l.salesforceId!, l]));
    const fresh = rows.filter((r) => !existing.has(r.salesforceId));
    const changed = rows.filter((r) => existing.has(r.salesforceId) && existing.get(r.salesforceId)!.importHash !== r.hash);
    const unchanged = rows.length - fresh.length - changed.length;
    if (batch.dryRun) return async () => ({ created: fresh.length, updated: changed.length, unchanged, duplicates: [] });
    return () => this.commit(batch, existing, fresh, changed, unchanged);
  }

  private commit(
    batch: BatchInfo,
    existing: Map<string, ListingEntity>,
    fresh: Prepared<ImportedListing>[],
    changed: Prepared<ImportedListing>[],
    unchanged: number,
  ): Promise<BatchOutcome> {
    return this.db.transaction(async () => {
      const numbers = await this.repo.referenceNumbers(fresh.length);
      const prefix = this.options.referencePrefix ?? 'ALS';
      const toWrite: ImportRow[] = [
        ...fresh.map((r, i) => ({
          ...r.record,
          id: uuidv7(),
          reference: `${prefix}-${r.record.purpose === 'sale' ? 'S' : 'R'}-${String(numbers[i]).padStart(6, '0')}`,
          salesforceId: r.salesforceId,
          importHash: r.hash,
          createdBy: r.record.agentId,
        })),
        ...changed.map((r) => {
          const l = existing.get(r.salesforceId)!;
          return { ...r.record, id: l.id, reference: l.reference, salesforceId: r.salesforceId, importHash: r.hash, createdBy: l.createdBy };
        }),
      ];
      const written = await this.repo.upsert(toWrite, batch.id);
      const saved = await this.repo.byIds(written.map((w) => w.id));
      const inserted = new Set(written.filter((w) => w.inserted).map((w) => w.id));
      const created = saved.filter((l) => inserted.has(l.id));
      const updated = saved.filter((l) => !inserted.has(l.id));
      const before = new Map([...existing.values()].map((l) => [l.id, l]));
      const priced = updated.filter((l) => {
        const b = before.get(l.id)!;
        return b.priceFils !== l.priceFils || b.purpose !== l.purpose || b.rentFrequency !== l.rentFrequency;
      });
      await this.repo.recordPrices([...created, ...priced], IMPORT_ACTOR.userId);
      await this.audit.recordMany(IMPORT_ACTOR, [
        ...created.map((l) => ({ listingId: l.id, action: 'import', before: null, after: auditState(l) })),
        ...updated.map((l) => ({ listingId: l.id, action: 'import-update', before: auditState(before.get(l.id)!), after: auditState(l) })),
      ]);
      const media = await this.media.forListings(updated.map((l) => l.id));
      const snap = (l: ListingEntity): ListingSnapshot => listingSnapshot(l, media.get(l.id) ?? [], this.mediaUrl);
      await publishCreatedMany(this.outbox, created.map(snap));
      await publishUpdatedMany(
        this.outbox,
        updated.map((l) => ({ listing: snap(l), changedFields: changedFields(before.get(l.id)!, l) })),
      );
      return { created: created.length, updated: updated.length, unchanged: unchanged + (toWrite.length - written.length), duplicates: [] };
    });
  }
}

function changedFields(before: ListingEntity, after: ListingEntity): string[] {
  const skip = new Set(['version', 'updatedAt', 'importHash', 'importBatchId', 'statusChangedAt', 'status']);
  const fields = Object.keys(after).filter((k) => !skip.has(k) && JSON.stringify((before as unknown as Record<string, unknown>)[k]) !== JSON.stringify((after as unknown as Record<string, unknown>)[k]));
  return [...new Set(fields.map((k) => API_FIELD[k] ?? k))].sort();
}

export async function importListings(db: Db, outbox: Outbox, options: ListingsImportOptions): Promise<ImportResult> {
  if (options.agentId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(options.agentId)) throw new ImportUsageError(`--agent must be a PACE user id (UUID), not "${options.agentId}"`);
  const mapping = loadMapping(LISTING_COLUMNS, options.mappingFile);
  if (!options.agentId && !Object.keys(mapping.owners).length) {
    throw new ImportUsageError('listings need an agent: pass --agent <PACE user id>, or map Salesforce owners in the mapping file ("owners": {"005…": "<user id>"})');
  }
  const resolved = {
    referencePrefix: process.env.LISTINGS_REFERENCE_PREFIX,
    mediaPublicUrl: process.env.LISTINGS_MEDIA_PUBLIC_URL,
    mediaRouteBase: process.env.LISTINGS_MEDIA_ROUTE_BASE,
    ...options,
  };
  return runImport(new ListingsImporter(db, outbox, mapping, resolved), db, resolved);
}
