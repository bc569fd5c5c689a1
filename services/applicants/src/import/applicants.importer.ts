import { Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db, isUniqueViolation } from '@pace/database';
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
  yieldToIo,
} from '@pace/import';
import { AuditRepository } from '../audit/audit.repository';
import { ApplicantEvents } from '../applicants/applicant.events';
import type { Actor } from '../applicants/applicant.view';
import { auditState } from '../applicants/applicant.view';
import { MatchingEvents } from '../matching/matching.events';
import { MatchingRepository } from '../matching/matching.repository';
import { MatchingService } from '../matching/matching.service';
import { TimelineRepository } from '../timeline/timeline.repository';
import { ApplicantsImportRepository, type ImportRow, type Written } from './applicants-import.repository';
import { ApplicantEntity } from '../applicants/applicant.entity';
import { ApplicantsRepository } from '../applicants/applicants.repository';
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
  private readonly matchingRepo: MatchingRepository;
  private readonly matching: MatchingService;
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
    this.matchingRepo = new MatchingRepository(db);
    this.matching = new MatchingService(this.matchingRepo, new ApplicantsRepository(db), new MatchingEvents(outbox));
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

  private stored(row: ImportRow, written: Pick<Written, 'version' | 'created_at' | 'updated_at'>, batchId: string, current: ApplicantEntity | undefined): ApplicantEntity {
    const { budgetMinFils, budgetMaxFils, ownerId, createdAt: _c, updatedAt: _u, ...fields } = row;
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

  /**
   * Decides each row (update, unchanged, link, create) and builds the new applicants' rows,
   * timeline entries, audit rows and encoded events, while the previous batch still commits.
   * Contacts of earlier batches of the file come from the scratch keys (that batch may not be
   * committed yet); contacts already in the CRM from the applicant table.
   */
  async plan(rows: Prepared<ImportedApplicant>[], batch: BatchInfo): Promise<() => Promise<BatchOutcome>> {
    const ids = rows.map((r) => r.salesforceId);
    // The file's earlier holders of these contacts (the scratch session) are looked up beside the
    // known Ids (the pool): one round trip fewer before the batch is planned.
    const [existing, links, inFile] = await Promise.all([
      this.repo.bySalesforceIds(ids),
      this.repo.linksBySalesforceIds(ids),
      this.seen.held('contact', [...new Set(rows.flatMap((r) => contactKeys(r.record)))]),
    ]);
    const bySf = new Map(existing.map((a) => [a.salesforceId!, a]));
    const linked = new Map(links.map((l) => [l.salesforceId, l]));
    const fresh = rows.filter((r) => !bySf.has(r.salesforceId) && !linked.has(r.salesforceId));
    const held = await this.repo.liveByContacts(
      fresh.flatMap((r) => r.record.phones),
      fresh.flatMap((r) => r.record.emails),
    );
    const holder = new Map<string, string>();
    for (const a of held) for (const k of [...a.phones.map((p) => `phone ${p}`), ...a.emails.map((e) => `email ${e}`)]) if (!holder.has(k)) holder.set(k, a.id);
    // A scratch key's ref is "<applicant id or -> <Salesforce Id>" of the row that first held it.
    const fileHolder = (k: string) => {
      const e = inFile.get(k);
      if (!e) return undefined;
      const [applicantId, sf] = e.ref.split(' ');
      return { row: e.row, sf, applicantId: applicantId === '-' ? undefined : applicantId };
    };

    const duplicates: Duplicate[] = [];
    const toWrite: ImportRow[] = [];
    const claims: { kind: string; key: string; row: number; ref: string }[] = [];
    const claim = (r: Prepared<ImportedApplicant>, applicantId: string | undefined) => {
      for (const key of contactKeys(r.record)) claims.push({ kind: 'contact', key, row: r.row, ref: `${applicantId ?? '-'} ${r.salesforceId}` });
    };
    const newLinks: { salesforceId: string; applicantId: string; importBatchId: string; importHash: string; matchedOn: string }[] = [];
    const before = new Map<string, Record<string, unknown>>();
    const planned: ApplicantEntity[] = [];
    let unchanged = 0;
    let wouldUpdate = 0;
    let wouldCreate = 0;
    const inBatch = new Map<string, { applicantId: string | undefined; row: number; sf: string }>();
    const nowDate = new Date();
    const now = nowDate.toISOString();
    for (const r of rows) {
      const current = bySf.get(r.salesforceId);
      const link = linked.get(r.salesforceId);
      if (current) {
        claim(r, current.mergedInto ?? current.id);
        if (current.mergedInto) {
          duplicates.push({ row: r.row, salesforceId: r.salesforceId, matchedOn: 'Salesforce Id', duplicateOf: `applicant ${current.id}`, outcome: `merged into applicant ${current.mergedInto}; not updated` });
        } else if (current.importHash === r.hash) {
          unchanged++;
        } else {
          wouldUpdate++;
          before.set(current.id, auditState(current));
          toWrite.push(importRow(r, current.id, current.createdAt.toISOString(), now));
        }
        continue;
      }
      if (link) {
        claim(r, link.applicantId);
        duplicates.push({ row: r.row, salesforceId: r.salesforceId, matchedOn: link.matchedOn, duplicateOf: `applicant ${link.applicantId}`, outcome: `already linked to applicant ${link.applicantId}` });
        continue;
      }
      const keys = contactKeys(r.record);
      const dbKey = keys.find((k) => holder.has(k));
      const fileKey = keys.find((k) => fileHolder(k));
      const batchKey = keys.find((k) => inBatch.has(k));
      if (dbKey || fileKey || batchKey) {
        const on = (dbKey ?? fileKey ?? batchKey)!;
        const first = fileKey ? fileHolder(fileKey)! : batchKey ? inBatch.get(batchKey)! : undefined;
        const target = dbKey ? holder.get(dbKey)! : first!.applicantId;
        const firstRow = first ? `row ${first.row} (${first.sf})` : undefined;
        duplicates.push({
          row: r.row,
          salesforceId: r.salesforceId,
          matchedOn: on,
          duplicateOf: [firstRow, target ? `applicant ${target}` : undefined].filter(Boolean).join(', '),
          outcome: batch.dryRun ? `would be linked to ${target ? `applicant ${target}` : `row ${first!.row}'s applicant`}` : `linked to applicant ${target}`,
        });
        if (target && !batch.dryRun) newLinks.push({ salesforceId: r.salesforceId, applicantId: target, importBatchId: batch.id, importHash: r.hash, matchedOn: on });
        claim(r, target);
        continue;
      }
      const id = batch.dryRun ? undefined : uuidv7();
      for (const k of keys) if (!inBatch.has(k)) inBatch.set(k, { applicantId: id, row: r.row, sf: r.salesforceId });
      claim(r, id);
      wouldCreate++;
      if (id) {
        const row = importRow(r, id, now, now);
        toWrite.push(row);
        planned.push(createdEntity(row, batch.id, nowDate));
      }
    }
    await this.seen.record(claims);
    if (batch.dryRun) return async () => ({ created: wouldCreate, updated: wouldUpdate, unchanged, duplicates });

    // Everything about the new applicants that does not depend on the insert, built now, while
    // the previous batch commits: their events, timeline entries and audit rows, ready to send.
    const createdEntries = (list: ApplicantEntity[]) =>
      list.map((a) => ({
        applicantId: a.id,
        kind: 'created',
        summary: `Imported from Salesforce (${a.salesforceId})`,
        data: { source: a.source, salesforceId: a.salesforceId, importBatchId: batch.id },
      }));
    const createdAudit = (list: ApplicantEntity[]) => list.map((a) => ({ applicantId: a.id, action: 'import', before: null, after: auditState(a) }));
    await yieldToIo();
    const encoded = this.events.encodeCreated(planned);
    await yieldToIo();
    const timeline = this.timeline.prepareMany(IMPORT_ACTOR, createdEntries(planned), nowDate);
    await yieldToIo();
    const audit = this.audit.prepareMany(IMPORT_ACTOR, createdAudit(planned), nowDate);
    await yieldToIo();
    const prepared = this.repo.prepareRows(toWrite);
    // Any batch: one transaction.
    const inTransaction = () =>
      this.db.transaction(async () => {
        const written = await this.repo.upsert(prepared, batch.id);
        const sent = new Map(toWrite.map((w) => [w.id, w]));
        const inserted = new Set(written.filter((w) => w.inserted).map((w) => w.id));
        const created = planned.filter((a) => inserted.has(a.id));
        const byId = new Map(existing.map((e) => [e.id, e]));
        const updated = written.filter((w) => !w.inserted).map((w) => this.stored(sent.get(w.id)!, w, batch.id, byId.get(w.id)));
        if (created.length === planned.length) {
          await this.timeline.addPrepared(timeline);
          await this.audit.recordPrepared(audit);
          await this.events.publishEncoded(encoded);
        } else {
          // Some of these Salesforce Ids got in first (another writer): only what this batch created.
          const mine = new Set(created.map((a) => a.id));
          await this.timeline.addMany(IMPORT_ACTOR, createdEntries(created), nowDate);
          await this.audit.recordMany(IMPORT_ACTOR, createdAudit(created));
          await this.events.publishEncoded(encoded.filter((e) => mine.has(e.aggregateId)));
        }
        await this.audit.recordMany(
          IMPORT_ACTOR,
          updated.map((a) => ({ applicantId: a.id, action: 'import-update', before: before.get(a.id) ?? null, after: auditState(a) })),
        );
        await this.events.updatedMany(updated);
        await this.repo.upsertLinks(newLinks);
        // Like applicants made by hand, imported ones get their matches (and matches-changed events).
        if (await this.matchingRepo.anyAdvertised()) for (const a of [...created, ...updated]) await this.matching.recomputeApplicant(a);
        // Rows the upsert skipped (already in with the same content, from another writer) count as unchanged.
        const skipped = toWrite.length - written.length;
        if (skipped) this.logger.warn(`${skipped} row(s) of the batch were unchanged at write time`);
        return { created: created.length, updated: updated.length, unchanged: unchanged + skipped, duplicates };
      });
    // A batch of only new applicants (a first import) goes in as one statement with its timeline,
    // audit and events: one round trip where the transaction above takes seven. Not when listings
    // are advertised (the guard): the new applicants' matches are computed in their transaction.
    const onlyNew = toWrite.length > 0 && toWrite.length === planned.length && !newLinks.length;
    return async () => {
      if (onlyNew) {
        const inserted = await this.repo
          .insertNew(prepared, batch.id, [this.timeline.dependentInsert(timeline), this.audit.dependentInsert(audit), this.events.dependentInsert(encoded)], this.matchingRepo.noneAdvertisedSql)
          .catch((error: unknown) => {
            if (isUniqueViolation(error)) return undefined;
            throw error;
          });
        if (inserted?.size) {
          this.events.written();
          return { created: inserted.size, updated: 0, unchanged, duplicates };
        }
        // Nothing was written: listings are advertised (the guard), or a Salesforce Id got in
        // since the look-up (another writer: imports themselves take turns): the batch goes in as any
        // other.
      }
      return inTransaction();
    };
  }
}

/**
 * The row the upsert writes. Field by field rather than spread: a spread of the record makes a
 * dictionary-mode object per row, which the profile showed as most of planning's own time.
 */
export function importRow(r: Prepared<ImportedApplicant>, id: string, createdAt: string, updatedAt: string): ImportRow {
  const a = r.record;
  return {
    id,
    salesforceId: r.salesforceId,
    importHash: r.hash,
    firstName: a.firstName,
    lastName: a.lastName,
    phones: a.phones,
    emails: a.emails,
    source: a.source,
    status: a.status,
    lostReason: a.lostReason,
    ownerId: a.ownerId,
    preferredLanguage: a.preferredLanguage,
    nationality: a.nationality,
    whatsappOptIn: a.whatsappOptIn,
    emailOptIn: a.emailOptIn,
    intent: a.intent,
    propertyTypes: a.propertyTypes,
    bedroomsMin: a.bedroomsMin,
    bedroomsMax: a.bedroomsMax,
    budgetMinFils: a.budgetMinFils,
    budgetMaxFils: a.budgetMaxFils,
    communities: a.communities,
    furnishing: a.furnishing,
    moveInDate: a.moveInDate,
    createdAt,
    updatedAt,
  };
}

/** The applicant a new row becomes (what `stored` gives for it, without spreads): for its event and audit row. */
function createdEntity(row: ImportRow, batchId: string, at: Date): ApplicantEntity {
  const e = new ApplicantEntity();
  e.id = row.id;
  e.firstName = row.firstName;
  e.lastName = row.lastName;
  e.phones = row.phones;
  e.emails = row.emails;
  e.ownerId = row.ownerId;
  e.teamId = null;
  e.status = row.status;
  e.lostReason = row.lostReason;
  e.source = row.source;
  e.tags = [];
  e.preferredLanguage = row.preferredLanguage;
  e.nationality = row.nationality;
  e.whatsappOptIn = row.whatsappOptIn;
  e.emailOptIn = row.emailOptIn;
  e.intent = row.intent;
  e.propertyTypes = row.propertyTypes;
  e.bedroomsMin = row.bedroomsMin;
  e.bedroomsMax = row.bedroomsMax;
  e.budgetMinFils = row.budgetMinFils === null ? null : String(row.budgetMinFils);
  e.budgetMaxFils = row.budgetMaxFils === null ? null : String(row.budgetMaxFils);
  e.communities = row.communities;
  e.furnishing = row.furnishing;
  e.moveInDate = row.moveInDate;
  e.mergedInto = null;
  e.createdAt = at;
  e.updatedAt = at;
  e.version = 1;
  e.salesforceId = row.salesforceId;
  e.importBatchId = batchId;
  e.importHash = row.importHash;
  return e;
}

export interface ApplicantsImportOptions extends ImportOptions {
  mappingFile?: string;
}

/** `npm run import -- salesforce --entity applicants`: needs a Db whose pool has 3 connections (see runImport). */
export async function importApplicants(db: Db, outbox: Outbox, options: ApplicantsImportOptions): Promise<ImportResult> {
  const mapping = loadMapping(CONTACT_COLUMNS, options.mappingFile);
  return runImport(new ApplicantsImporter(db, outbox, mapping), db, options);
}
