import { Injectable } from '@nestjs/common';
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

  findById(id: string): Promise<ApplicantEntity | null> {
    return visible(this.repo.createQueryBuilder('a').where('a.id = :id', { id })).getOne();
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
