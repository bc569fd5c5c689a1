import { Injectable } from '@nestjs/common';
import { type Pool, types } from 'pg';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { type Visibility, requireCaller, visibilityOf } from '@pace/auth';
import { Db, type Keyset } from '@pace/database';
import { ApplicantEntity } from './applicant.entity';

/**
 * Every read is limited to what the verified caller of the current call may see (Agent: own,
 * Manager: own and their teams', Admin and machines: all). Without a caller it throws: a query
 * path cannot forget visibility, it can only fail. The few system paths (lead intake, the claim
 * sweep, duplicate detection) say so in their names. The applicant's alias must be `a`.
 */
export function visible<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  const visibility = visibilityOf(requireCaller());
  if (visibility.all) return query;
  if (visibility.teamIds.length === 0) return query.andWhere('a.owner_id = :ownerId', { ownerId: visibility.ownerId });
  return query.andWhere('(a.owner_id = :ownerId OR a.team_id IN (:...teamIds))', { ownerId: visibility.ownerId, teamIds: visibility.teamIds });
}

/** Whether the current caller may see this applicant (same rule as `visible`). */
export function isVisible(a: Pick<ApplicantEntity, 'ownerId' | 'teamId'>, visibility: Visibility = visibilityOf(requireCaller())): boolean {
  if (visibility.all) return true;
  return a.ownerId === visibility.ownerId || (a.teamId !== null && visibility.teamIds.includes(a.teamId));
}

/**
 * The entity's columns (not the search vector or change sequence) as one JSON text value. One
 * field instead of thirty makes pg's per-result set-up (a parser and a key per column) and the row
 * object cheap; the values are those of the columns' own text forms (timestamps parsed by pg's
 * own timestamptz parser below, bigint and date as text), so the entity is the same as TypeORM's.
 */
const ROW_JSON = `json_build_object('id', a.id, 'first_name', a.first_name, 'last_name', a.last_name, 'phones', a.phones,
  'emails', a.emails, 'owner_id', a.owner_id, 'team_id', a.team_id, 'status', a.status, 'lost_reason', a.lost_reason,
  'source', a.source, 'tags', a.tags, 'preferred_language', a.preferred_language, 'nationality', a.nationality,
  'whatsapp_opt_in', a.whatsapp_opt_in, 'email_opt_in', a.email_opt_in, 'intent', a.intent, 'property_types', a.property_types,
  'bedrooms_min', a.bedrooms_min, 'bedrooms_max', a.bedrooms_max, 'budget_min_fils', a.budget_min_fils::text,
  'budget_max_fils', a.budget_max_fils::text, 'communities', a.communities, 'furnishing', a.furnishing,
  'move_in_date', a.move_in_date::text, 'merged_into', a.merged_into, 'created_at', a.created_at::text,
  'updated_at', a.updated_at::text, 'version', a.version, 'salesforce_id', a.salesforce_id,
  'import_batch_id', a.import_batch_id, 'import_hash', a.import_hash)::text AS row`;

/*
 * The read by id is the hottest path of the service (every GET through the gateway): one named
 * (prepared) statement per visibility shape, run on the pool directly, instead of TypeORM's query
 * builder and entity hydration (about 1 ms of CPU a call). Visibility is the same rule as `visible`.
 */
const BY_ID = {
  all: { name: 'applicants.by-id.all', text: `SELECT ${ROW_JSON} FROM applicants.applicant a WHERE a.id = $1` },
  own: { name: 'applicants.by-id.own', text: `SELECT ${ROW_JSON} FROM applicants.applicant a WHERE a.id = $1 AND a.owner_id = $2` },
  teams: {
    name: 'applicants.by-id.teams',
    text: `SELECT ${ROW_JSON} FROM applicants.applicant a WHERE a.id = $1 AND (a.owner_id = $2 OR a.team_id = ANY($3::uuid[]))`,
  },
};

/** pg's parser of timestamptz text (what TypeORM's rows go through). */
const parseTimestamp = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;

interface ApplicantRow {
  id: string;
  first_name: string;
  last_name: string;
  phones: string[];
  emails: string[];
  owner_id: string | null;
  team_id: string | null;
  status: string;
  lost_reason: string | null;
  source: string;
  tags: string[];
  preferred_language: string | null;
  nationality: string | null;
  whatsapp_opt_in: boolean;
  email_opt_in: boolean;
  intent: string | null;
  property_types: string[];
  bedrooms_min: number | null;
  bedrooms_max: number | null;
  budget_min_fils: string | null;
  budget_max_fils: string | null;
  communities: string[];
  furnishing: string | null;
  move_in_date: string | null;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  salesforce_id: string | null;
  import_batch_id: string | null;
  import_hash: string | null;
}

function entityOf(r: ApplicantRow): ApplicantEntity {
  return Object.assign(new ApplicantEntity(), {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    phones: r.phones,
    emails: r.emails,
    ownerId: r.owner_id,
    teamId: r.team_id,
    status: r.status,
    lostReason: r.lost_reason,
    source: r.source,
    tags: r.tags,
    preferredLanguage: r.preferred_language,
    nationality: r.nationality,
    whatsappOptIn: r.whatsapp_opt_in,
    emailOptIn: r.email_opt_in,
    intent: r.intent,
    propertyTypes: r.property_types,
    bedroomsMin: r.bedrooms_min,
    bedroomsMax: r.bedrooms_max,
    budgetMinFils: r.budget_min_fils,
    budgetMaxFils: r.budget_max_fils,
    communities: r.communities,
    furnishing: r.furnishing,
    moveInDate: r.move_in_date,
    mergedInto: r.merged_into,
    createdAt: parseTimestamp(r.created_at),
    updatedAt: parseTimestamp(r.updated_at),
    version: r.version,
    salesforceId: r.salesforce_id,
    importBatchId: r.import_batch_id,
    importHash: r.import_hash,
  });
}

type ImportColumns = 'salesforceId' | 'importBatchId' | 'importHash';
export type NewApplicant = Omit<ApplicantEntity, 'createdAt' | 'updatedAt' | 'version' | 'searchVector' | ImportColumns> & Partial<Pick<ApplicantEntity, ImportColumns>>;

@Injectable()
export class ApplicantsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.repository(ApplicantEntity);
  }

  /** Inserts and returns the row as stored (timestamps and version come back with RETURNING: no second read). */
  async insert(applicant: NewApplicant): Promise<ApplicantEntity> {
    const result = await this.repo.insert(applicant);
    const generated = (result.generatedMaps[0] ?? {}) as Partial<ApplicantEntity>;
    if (!generated.createdAt || !generated.updatedAt) return this.repo.findOneByOrFail({ id: applicant.id });
    return this.repo.create({ ...applicant, version: 1, ...generated });
  }

  async findById(id: string): Promise<ApplicantEntity | null> {
    const visibility = visibilityOf(requireCaller());
    const statement = visibility.all
      ? { ...BY_ID.all, values: [id] }
      : visibility.teamIds.length === 0
        ? { ...BY_ID.own, values: [id, visibility.ownerId] }
        : { ...BY_ID.teams, values: [id, visibility.ownerId, visibility.teamIds] };
    // Inside a transaction the statement joins it; otherwise it runs on the pool directly.
    const rows = this.db.inTransaction
      ? ((await this.db.manager.query(statement.text, statement.values)) as { row: string }[])
      : (await (this.db.dataSource.driver as unknown as { master: Pool }).master.query<{ row: string }>(statement)).rows;
    return rows[0] ? entityOf(JSON.parse(rows[0].row) as ApplicantRow) : null;
  }

  /** Locks the row until the transaction ends, so concurrent edits serialise. */
  findForUpdate(id: string): Promise<ApplicantEntity | null> {
    return visible(this.repo.createQueryBuilder('a').where('a.id = :id', { id })).setLock('pessimistic_write').getOne();
  }

  /** System path (intake, sweep): no visibility. */
  findForUpdateAsSystem(id: string): Promise<ApplicantEntity | null> {
    return this.repo.createQueryBuilder('a').where('a.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /**
   * Serialises creations that share a phone or email until the transaction ends, so two requests
   * (or twenty leads) for one person cannot both miss each other and make twins.
   */
  async lockContacts(phones: string[], emails: string[]): Promise<void> {
    const keys = [...phones.map((p) => `pace-applicants:phone:${p}`), ...emails.map((e) => `pace-applicants:email:${e}`)];
    if (!keys.length) return;
    // One round trip; a fixed order, so two creations sharing two contacts cannot deadlock.
    await this.db.manager.query(`SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k) AS keys`, [keys]);
  }

  /** Live (not merged) applicants sharing a phone or email, oldest first. All of them: the caller decides what to reveal. */
  findByContacts(phones: string[], emails: string[]): Promise<ApplicantEntity[]> {
    return this.repo
      .createQueryBuilder('a')
      .where('a.merged_into IS NULL')
      .andWhere('(a.phones && CAST(:phones AS text[]) OR a.emails && CAST(:emails AS text[]))', { phones, emails })
      .orderBy('a.created_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
  }

  /**
   * Writes the row's fields; the version increments and updated_at is set by the statement itself,
   * and both come back with RETURNING (one round trip: the row is already loaded and locked).
   */
  async save(applicant: ApplicantEntity): Promise<ApplicantEntity> {
    const { id, createdAt: _c, updatedAt: _u, version: _v, searchVector: _s, ...fields } = applicant;
    const result = await this.repo.createQueryBuilder().update(ApplicantEntity).set(fields).where('id = :id', { id }).returning('version, updated_at').execute();
    const row = (Array.isArray(result.raw) ? result.raw[0] : undefined) as { version?: number; updated_at?: Date } | undefined;
    if (!row?.updated_at || row.version === undefined) return this.repo.findOneByOrFail({ id });
    return Object.assign(applicant, { version: Number(row.version), updatedAt: new Date(row.updated_at) });
  }

  /** Newest first; `limit + 1` rows so the caller knows whether another page exists. */
  listNewestFirst(limit: number, after?: Keyset): Promise<ApplicantEntity[]> {
    const query = visible(this.repo.createQueryBuilder('a').where('a.merged_into IS NULL'));
    query.orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit + 1);
    if (after) query.andWhere('(a.created_at, a.id) < (:at, :id)', { at: after.after, id: after.id });
    return query.getMany();
  }
}
