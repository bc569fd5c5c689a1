import { In } from 'typeorm';
import { Db, type DependentInsert, type SqlParams, queryWith, quoteElement, textArrayLiteral } from '@pace/database';
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
const INSERT_INTO = `INSERT INTO applicants.applicant (${COLUMNS.map(([c]) => c).join(', ')}, import_batch_id, version)`;
const SELECT_ROWS = `SELECT ${COLUMNS.map(([c, , t]) => (t.endsWith('[]') ? `r.${c}::${t}` : `r.${c}`)).join(', ')}`;

/** A batch's rows as PostgreSQL array literals, one per column (`prepareRows`), built before its transaction. */
export interface PreparedRows {
  readonly count: number;
  readonly columns: string[];
}

/**
 * The batch as one array per column, unnested into rows (`r`): PostgreSQL reads a thousand rows of
 * 26 columns from arrays in a third of the time it takes from a JSON document (json_to_recordset
 * builds a hash table per object). An array-valued column goes in as the text of each row's array
 * (`r.phones::text[]`), as arrays of arrays must be rectangular.
 */
function rowsFrom(rows: PreparedRows, params: SqlParams): string {
  const columns = COLUMNS.map(([, , t], i) => `${params.add(rows.columns[i])}::${t.endsWith('[]') ? 'text' : t}[]`);
  return `unnest(${columns.join(', ')}) AS r(${COLUMNS.map(([c]) => c).join(', ')})`;
}

// The literals are written here rather than by pg (see quoteElement): text is quoted and escaped,
// other types (uuid, numbers, dates, booleans) need not be.
const QUOTED = COLUMNS.map(([, , t]) => t === 'text' || t.endsWith('[]'));

// Joined rather than appended to: a thousand `+=` make a tree of a thousand partial strings, which
// pg's write then copies out flat again.
function columnLiteral(rows: ImportRow[], key: keyof ImportRow, quoted: boolean, array: boolean): string {
  const cells = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i][key];
    if (value === null || value === undefined) cells[i] = 'NULL';
    else if (array) cells[i] = quoteElement(textArrayLiteral(value as string[]));
    else cells[i] = quoted ? quoteElement(String(value)) : String(value);
  }
  return `{${cells.join(',')}}`;
}

// New Salesforce Ids inserted; known ones updated when their content hash changed (upsert).
const UPSERT_SQL = (rows: string, batchId: string) => `
  ${INSERT_INTO}
  ${SELECT_ROWS}, ${batchId}::uuid, 1
  FROM ${rows}
  ON CONFLICT (salesforce_id) DO UPDATE SET
    ${COLUMNS.filter(([c]) => !KEEP.has(c))
      .map(([c]) => (c === 'owner_id' ? `owner_id = COALESCE(EXCLUDED.owner_id, applicant.owner_id)` : `${c} = EXCLUDED.${c}`))
      .join(',\n    ')},
    version = applicant.version + 1,
    updated_at = now()
  WHERE applicant.import_hash IS DISTINCT FROM EXCLUDED.import_hash AND applicant.merged_into IS NULL
  RETURNING id, (xmax = 0) AS inserted, version, created_at, updated_at`;

// A first import's rows, with what hangs off them, in one statement (insertNew).
const INSERT_NEW_SQL = (rows: string, batchId: string, guard: string) => `
  ${INSERT_INTO}
  ${SELECT_ROWS}, ${batchId}::uuid, 1
  FROM ${rows}
  WHERE ${guard}
  RETURNING id`;

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

  prepareRows(rows: ImportRow[]): PreparedRows {
    return { count: rows.length, columns: COLUMNS.map(([, k, t], i) => columnLiteral(rows, k, QUOTED[i], t.endsWith('[]'))) };
  }

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
  async upsert(rows: PreparedRows, batchId: string): Promise<Written[]> {
    if (!rows.count) return [];
    return queryWith<Written[]>(this.db.manager, (params) => UPSERT_SQL(rowsFrom(rows, params), params.add(batchId)));
  }

  /**
   * New applicants and the rows that hang off them (timeline, audit, events) in ONE statement,
   * which commits as a whole as a transaction would, in one round trip instead of five. Nothing
   * at all is written unless `guard` (an SQL condition) holds, and nothing if a Salesforce Id is
   * already in: the statement fails on the unique index (`isUniqueViolation`). No `ON CONFLICT`:
   * its speculative insertion cost a fifth more than a plain insert, for rows planned as new.
   * Returns the ids inserted (all, or none when the guard held them back).
   */
  async insertNew(rows: PreparedRows, batchId: string, dependents: DependentInsert[], guard = 'true'): Promise<Set<string>> {
    const [result] = await queryWith<{ ids: string[] }[]>(this.db.manager, (params) => {
      const ctes = [`inserted AS (${INSERT_NEW_SQL(rowsFrom(rows, params), params.add(batchId), guard)})`];
      const selects = ['(SELECT coalesce(array_agg(id::text), \'{}\') FROM inserted) AS ids'];
      dependents.forEach((d, i) => {
        ctes.push(`dependent${i} AS (${d.sql(params, 'SELECT id::text FROM inserted')})`);
        if (d.select) selects.push(`${d.select(params)} AS after${i}`);
      });
      return `WITH ${ctes.join(',\n')}\nSELECT ${selects.join(', ')}`;
    });
    return new Set(result.ids);
  }

  async upsertLinks(links: Omit<SalesforceLinkEntity, 'linkedAt'>[]): Promise<void> {
    if (!links.length) return;
    await this.db.repository(SalesforceLinkEntity).upsert(links, ['salesforceId']);
  }

  /**
   * Fresh statistics while an import fills the table, for the columns its look-ups filter on (the
   * table's size comes with them); autovacuum's ANALYZE of every column comes later. The whole
   * table's took 0.9–1.2 s of CPU per 100k rows, most of it the search vector's statistics.
   */
  async analyze(): Promise<void> {
    await this.db.manager.query(`ANALYZE applicants.applicant (salesforce_id, phones, emails, merged_into)`);
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
