import { In } from 'typeorm';
import { Db } from '@pace/database';
import { ApplicantEntity } from '../applicants/applicant.entity';
import type { ImportedApplicant } from './contact.mapping';
import { SalesforceLinkEntity } from './salesforce-link.entity';

export interface ImportRow extends ImportedApplicant {
  id: string;
  salesforceId: string;
  importHash: string;
  /** ISO timestamps of a new row, set by the import (so its events can be built before the insert). */
  createdAt: string;
  updatedAt: string;
}

/** Columns the import writes, as they are named in the table (snake_case) with their SQL types. */
const COLUMNS: [string, keyof ImportRow, string][] = [
  ['id', 'id', 'uuid'],
  ['salesforce_id', 'salesforceId', 'text'],
  ['import_hash', 'importHash', 'text'],
  ['first_name', 'firstName', 'text'],
  ['last_name', 'lastName', 'text'],
  ['phones', 'phones', 'text[]'],
  ['emails', 'emails', 'text[]'],
  ['source', 'source', 'text'],
  ['status', 'status', 'text'],
  ['lost_reason', 'lostReason', 'text'],
  ['owner_id', 'ownerId', 'uuid'],
  ['preferred_language', 'preferredLanguage', 'text'],
  ['nationality', 'nationality', 'text'],
  ['whatsapp_opt_in', 'whatsappOptIn', 'boolean'],
  ['email_opt_in', 'emailOptIn', 'boolean'],
  ['intent', 'intent', 'text'],
  ['property_types', 'propertyTypes', 'text[]'],
  ['bedrooms_min', 'bedroomsMin', 'smallint'],
  ['bedrooms_max', 'bedroomsMax', 'smallint'],
  ['budget_min_fils', 'budgetMinFils', 'bigint'],
  ['budget_max_fils', 'budgetMaxFils', 'bigint'],
  ['communities', 'communities', 'text[]'],
  ['furnishing', 'furnishing', 'text'],
  ['move_in_date', 'moveInDate', 'date'],
  ['created_at', 'createdAt', 'timestamptz'],
  ['updated_at', 'updatedAt', 'timestamptz'],
];
// Never overwritten by a re-import: the key, and what PACE owns once the record is here.
const KEEP = new Set(['id', 'salesforce_id', 'created_at', 'updated_at']);
const UPSERT_SQL = `
  INSERT INTO applicants.applicant (${COLUMNS.map(([c]) => c).join(', ')}, import_batch_id, version)
  SELECT ${COLUMNS.map(([c]) => `r.${c}`).join(', ')}, $2::uuid, 1
  FROM json_to_recordset($1::json) AS r(${COLUMNS.map(([c, , t]) => `${c} ${t}`).join(', ')})
  ON CONFLICT (salesforce_id) DO UPDATE SET
    ${COLUMNS.filter(([c]) => !KEEP.has(c))
      .map(([c]) => (c === 'owner_id' ? `owner_id = COALESCE(EXCLUDED.owner_id, applicant.owner_id)` : `${c} = EXCLUDED.${c}`))
      .join(',\n    ')},
    version = applicant.version + 1,
    updated_at = now()
  WHERE applicant.import_hash IS DISTINCT FROM EXCLUDED.import_hash AND applicant.merged_into IS NULL
  RETURNING id, (xmax = 0) AS inserted, version, created_at, updated_at`;

// The rows as the statement's JSON, written column by column (no per-row object to stringify).
const KEYS = COLUMNS.map(([c, k]) => [`"${c}":`, k] as const);
function upsertJson(rows: ImportRow[]): string {
  let json = '[';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    json += i ? ',{' : '{';
    for (let j = 0; j < KEYS.length; j++) {
      const value = row[KEYS[j][1]];
      json += (j ? ',' : '') + KEYS[j][0] + (value === undefined ? 'null' : JSON.stringify(value));
    }
    json += '}';
  }
  return json + ']';
}

export interface Written {
  id: string;
  inserted: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** The import's bulk path into the applicants schema: a few statements per batch of hundreds. */
export class ApplicantsImportRepository {
  constructor(private readonly db: Db) {}

  // One array parameter, not In(): TypeORM builds and pg binds thousands of parameters otherwise.
  bySalesforceIds(ids: string[]): Promise<ApplicantEntity[]> {
    return this.db.repository(ApplicantEntity).createQueryBuilder('a').where('a.salesforce_id = ANY(:ids)', { ids }).getMany();
  }

  linksBySalesforceIds(ids: string[]): Promise<SalesforceLinkEntity[]> {
    return this.db.repository(SalesforceLinkEntity).createQueryBuilder('l').where('l.salesforce_id = ANY(:ids)', { ids }).getMany();
  }

  byIds(ids: string[]): Promise<ApplicantEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.repository(ApplicantEntity).findBy({ id: In(ids) });
  }

  /**
   * Live (not merged) applicants holding any of these phones or emails, oldest first. The arrays
   * go in as sub-selects: with hundreds of literal values the planner overestimates the matches
   * and scans the table, comparing every row with every key (0.1 s per batch at 5k rows, growing);
   * hidden from it, it takes the GIN indexes (a few ms at any size).
   */
  async liveByContacts(phones: string[], emails: string[]): Promise<{ id: string; phones: string[]; emails: string[] }[]> {
    if (!phones.length && !emails.length) return [];
    return this.db.manager.query(
      `SELECT id, phones, emails FROM applicants.applicant
       WHERE merged_into IS NULL AND (phones && (SELECT $1::text[]) OR emails && (SELECT $2::text[]))
       ORDER BY created_at, id`,
      [phones, emails],
    );
  }

  /**
   * One statement for the batch: new Salesforce Ids are inserted, known ones updated only when
   * their content hash changed (and not when merged away). Unchanged rows are not returned.
   */
  async upsert(rows: ImportRow[], batchId: string): Promise<Written[]> {
    if (!rows.length) return [];
    return this.db.manager.query(UPSERT_SQL, [upsertJson(rows), batchId]);
  }

  async upsertLinks(links: Omit<SalesforceLinkEntity, 'linkedAt'>[]): Promise<void> {
    if (!links.length) return;
    await this.db.repository(SalesforceLinkEntity).upsert(links, ['salesforceId']);
  }

  /** Fresh statistics while an import fills the table (autovacuum's ANALYZE comes later). */
  async analyze(): Promise<void> {
    await this.db.manager.query(`ANALYZE applicants.applicant`);
    await this.db.manager.query(`ANALYZE applicants.applicant_salesforce_link`);
  }

  /** Everything a rollback removes, oldest first, in pages (a batch can be large). */
  createdBy(batchId: string, limit: number, afterId?: string): Promise<ApplicantEntity[]> {
    const q = this.db.repository(ApplicantEntity).createQueryBuilder('a').where('a.import_batch_id = :batchId', { batchId }).orderBy('a.id').limit(limit);
    if (afterId) q.andWhere('a.id > :afterId', { afterId });
    return q.getMany();
  }

  /** Deletes the applicants and what hangs off them only (leads, links, matches). Timeline: its repository. */
  async deleteApplicants(ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    await this.db.manager.query(`DELETE FROM applicants.lead WHERE applicant_id = ANY($1::uuid[])`, [ids]);
    await this.db.manager.query(`DELETE FROM applicants.applicant_salesforce_link WHERE applicant_id = ANY($1::uuid[])`, [ids]);
    await this.db.manager.query(`DELETE FROM applicants.applicant_match WHERE applicant_id = ANY($1::uuid[])`, [ids]);
    const [, affected] = (await this.db.manager.query(`DELETE FROM applicants.applicant WHERE id = ANY($1::uuid[])`, [ids])) as [unknown, number];
    return affected;
  }

  async deleteLinksOf(batchId: string): Promise<number> {
    const [, affected] = (await this.db.manager.query(`DELETE FROM applicants.applicant_salesforce_link WHERE import_batch_id = $1`, [batchId])) as [unknown, number];
    return affected;
  }
}
