import { Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import type { Outbox } from '@pace/events';
import {
  type BatchInfo,
  type BatchOutcome,
  type CsvRow,
  type Duplicate,
  type EntityImporter,
  ImportBatches,
  type ImportOptions,
  type ImportResult,
  type ImportSummary,
  type Mapping,
  type Prepared,
  SeenKeys,
  checkHeader,
  loadMapping,
  runImport,
} from '@pace/import';
import { AuditRepository } from '../audit/audit.repository';
import { ApplicantEvents } from '../applicants/applicant.events';
import type { Actor } from '../applicants/applicant.view';
import { auditState } from '../applicants/applicant.view';
import { TimelineRepository } from '../timeline/timeline.repository';
import { ApplicantsImportRepository, type ImportRow, type Written } from './applicants-import.repository';
import { ApplicantEntity } from '../applicants/applicant.entity';
import { CONTACT_COLUMNS, type ImportedApplicant, REQUIRED_CONTACT_FIELDS, prepareContact } from './contact.mapping';

export const IMPORT_ACTOR: Actor = { id: null, role: 'import' };

const contactKeys = (r: ImportedApplicant) => [...r.phones.map((p) => `phone ${p}`), ...r.emails.map((e) => `email ${e}`)];

/**
 * Salesforce contacts → applicants. One applicant per person, as the CRM's duplicate rule says:
 * a contact whose normalised phone or email is already an applicant's (made by hand, or an
 * earlier row of the file) is linked to that applicant (`applicant_salesforce_link`) instead of
 * becoming a twin, and listed in the duplicates report. Known Salesforce Ids are updated when
 * their content changed and left alone when not.
 */
export class ApplicantsImporter implements EntityImporter<ImportedApplicant> {
  readonly entity = 'applicants';
  private readonly logger = new Logger('import');
  private readonly repo: ApplicantsImportRepository;
  private readonly timeline: TimelineRepository;
  private readonly audit: AuditRepository;
  private readonly events: ApplicantEvents;
  private readonly batches: ImportBatches;
  private seen!: SeenKeys;

  constructor(
    private readonly db: Db,
    outbox: Outbox,
    private readonly mapping: Mapping,
  ) {
    this.repo = new ApplicantsImportRepository(db);
    this.timeline = new TimelineRepository(db);
    this.audit = new AuditRepository(db);
    this.events = new ApplicantEvents(outbox);
    this.batches = new ImportBatches(db);
  }

  checkHeader(header: string[], file: string): void {
    checkHeader(this.mapping, header, REQUIRED_CONTACT_FIELDS, file);
  }

  prepare(row: CsvRow) {
    return prepareContact(this.mapping, row);
  }

  async begin(batch: BatchInfo, seen: SeenKeys): Promise<void> {
    this.seen = seen;
    if (!batch.dryRun) await this.batches.begin(batch);
  }

  analyze(): Promise<void> {
    return this.repo.analyze();
  }

  async finish(batch: BatchInfo, summary: ImportSummary): Promise<void> {
    if (!batch.dryRun) await this.batches.finish(batch, summary);
  }

  private stored(row: ImportRow, written: Written, batchId: string, current: ApplicantEntity | undefined): ApplicantEntity {
    const { budgetMinFils, budgetMaxFils, ownerId, ...fields } = row;
    return Object.assign(new ApplicantEntity(), {
      tags: [],
      teamId: null,
      mergedInto: null,
      importBatchId: batchId,
      ...current,
      ...fields,
      ownerId: ownerId ?? current?.ownerId ?? null,
      budgetMinFils: budgetMinFils === null ? null : String(budgetMinFils),
      budgetMaxFils: budgetMaxFils === null ? null : String(budgetMaxFils),
      version: Number(written.version),
      createdAt: new Date(written.created_at),
      updatedAt: new Date(written.updated_at),
    });
  }

  async write(rows: Prepared<ImportedApplicant>[], batch: BatchInfo): Promise<BatchOutcome> {
    const ids = rows.map((r) => r.salesforceId);
    const [existing, links] = await Promise.all([this.repo.bySalesforceIds(ids), this.repo.linksBySalesforceIds(ids)]);
    const bySf = new Map(existing.map((a) => [a.salesforceId!, a]));
    const existingById = new Map(existing.map((a) => [a.id, a]));
    const linked = new Map(links.map((l) => [l.salesforceId, l]));
    // Name earlier rows of the file holding the same contact (the report says "same phone as row 12").
    const claims = rows.flatMap((r) => contactKeys(r.record).map((k) => ({ kind: 'contact', key: k, row: r.row, ref: r.salesforceId })));
    const earlier = await this.seen.claim(claims);
    const earlierRow = new Map<string, { row: number; ref: string }>();
    claims.forEach((c, i) => {
      const e = earlier[i];
      if (e && !earlierRow.has(`${c.row} ${c.key}`)) earlierRow.set(`${c.row} ${c.key}`, e);
    });

    const fresh = rows.filter((r) => !bySf.has(r.salesforceId) && !linked.has(r.salesforceId));
    const held = await this.repo.liveByContacts(
      fresh.flatMap((r) => r.record.phones),
      fresh.flatMap((r) => r.record.emails),
    );
    const holder = new Map<string, string>();
    for (const a of held) for (const k of [...a.phones.map((p) => `phone ${p}`), ...a.emails.map((e) => `email ${e}`)]) if (!holder.has(k)) holder.set(k, a.id);

    const duplicates: Duplicate[] = [];
    const toWrite: ImportRow[] = [];
    const newLinks: { salesforceId: string; applicantId: string; importBatchId: string; importHash: string; matchedOn: string }[] = [];
    const before = new Map<string, ImportedApplicant & { state: Record<string, unknown> }>();
    let unchanged = 0;
    let wouldCreate = 0;
    let wouldUpdate = 0;
    const inBatch = new Map<string, { id: string; row: number; ref: string }>();
    for (const r of rows) {
      const current = bySf.get(r.salesforceId);
      const link = linked.get(r.salesforceId);
      if (current) {
        if (current.mergedInto) {
          duplicates.push({ row: r.row, salesforceId: r.salesforceId, matchedOn: 'Salesforce Id', duplicateOf: `applicant ${current.id}`, outcome: `merged into applicant ${current.mergedInto}; not updated` });
        } else if (current.importHash === r.hash) {
          unchanged++;
        } else {
          wouldUpdate++;
          before.set(current.id, { ...r.record, state: auditState(current) });
          toWrite.push({ ...r.record, id: current.id, salesforceId: r.salesforceId, importHash: r.hash });
        }
        continue;
      }
      if (link) {
        duplicates.push({ row: r.row, salesforceId: r.salesforceId, matchedOn: link.matchedOn, duplicateOf: `applicant ${link.applicantId}`, outcome: `already linked to applicant ${link.applicantId}` });
        continue;
      }
      const keys = contactKeys(r.record);
      const dbKey = keys.find((k) => holder.has(k));
      const batchKey = keys.find((k) => inBatch.has(k));
      const fileKey = keys.find((k) => earlierRow.has(`${r.row} ${k}`));
      if (dbKey || batchKey || (batch.dryRun && fileKey)) {
        const on = (dbKey ?? batchKey ?? fileKey)!;
        // A dry run names only applicants that exist; an earlier row's would-be applicant is "row N".
        const target = dbKey ? holder.get(dbKey)! : batchKey && !batch.dryRun ? inBatch.get(batchKey)!.id : undefined;
        const first = earlierRow.get(`${r.row} ${on}`) ?? (batchKey ? inBatch.get(batchKey) : undefined);
        const of = first ? `row ${first.row} (${first.ref})${target ? `, applicant ${target}` : ''}` : `applicant ${target}`;
        duplicates.push({
          row: r.row,
          salesforceId: r.salesforceId,
          matchedOn: on,
          duplicateOf: of,
          outcome: batch.dryRun ? `would be linked to ${target ? `applicant ${target}` : `row ${first!.row}'s applicant`}` : `linked to applicant ${target}`,
        });
        if (target) newLinks.push({ salesforceId: r.salesforceId, applicantId: target, importBatchId: batch.id, importHash: r.hash, matchedOn: on });
        continue;
      }
      wouldCreate++;
      const id = batch.dryRun ? '' : uuidv7();
      for (const k of keys) if (!inBatch.has(k)) inBatch.set(k, { id, row: r.row, ref: r.salesforceId });
      toWrite.push({ ...r.record, id, salesforceId: r.salesforceId, importHash: r.hash });
    }
    if (batch.dryRun) return { created: wouldCreate, updated: wouldUpdate, unchanged, duplicates };

    return this.db.transaction(async () => {
      const written = await this.repo.upsert(toWrite, batch.id);
      // The rows as stored, from what was written and what RETURNING gave back (no second read).
      const sent = new Map(toWrite.map((w) => [w.id, w]));
      const saved = written.map((w) => this.stored(sent.get(w.id)!, w, batch.id, existingById.get(w.id)));
      const created = saved.filter((_, i) => written[i].inserted);
      const updated = saved.filter((_, i) => !written[i].inserted);
      await this.timeline.addMany(
        IMPORT_ACTOR,
        created.map((a) => ({
          applicantId: a.id,
          kind: 'created',
          summary: `Imported from Salesforce (${a.salesforceId})`,
          data: { source: a.source, salesforceId: a.salesforceId, importBatchId: batch.id },
        })),
      );
      await this.audit.recordMany(IMPORT_ACTOR, [
        ...created.map((a) => ({ applicantId: a.id, action: 'import', before: null, after: auditState(a) })),
        ...updated.map((a) => ({ applicantId: a.id, action: 'import-update', before: before.get(a.id)?.state ?? null, after: auditState(a) })),
      ]);
      await this.events.createdMany(created);
      await this.events.updatedMany(updated);
      await this.repo.upsertLinks(newLinks);
      // Rows the upsert skipped (content unchanged since a concurrent run) count as unchanged.
      const skipped = toWrite.length - written.length;
      if (skipped) this.logger.warn(`${skipped} row(s) of the batch were unchanged at write time`);
      return { created: created.length, updated: updated.length, unchanged: unchanged + skipped, duplicates };
    });
  }
}

export interface ApplicantsImportOptions extends ImportOptions {
  mappingFile?: string;
}

/** `npm run import -- salesforce --entity applicants`: needs a Db on a one-connection pool (see SeenKeys). */
export async function importApplicants(db: Db, outbox: Outbox, options: ApplicantsImportOptions): Promise<ImportResult> {
  const mapping = loadMapping(CONTACT_COLUMNS, options.mappingFile);
  return runImport(new ApplicantsImporter(db, outbox, mapping), new SeenKeys((sql, p) => db.manager.query(sql, p)), options);
}
