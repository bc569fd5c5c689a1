import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { requireCaller, visibilityOf } from '@pace/auth';
import { Db, type Keyset } from '@pace/database';
import { ApplicantEntity } from './applicant.entity';

/**
 * Every read is limited to what the verified caller of the current call may see (Agent: own,
 * Manager: own and their teams', Admin and machines: all). Without a caller it throws: a query
 * path cannot forget visibility, it can only fail.
 */
function visible(query: SelectQueryBuilder<ApplicantEntity>): SelectQueryBuilder<ApplicantEntity> {
  const visibility = visibilityOf(requireCaller());
  if (visibility.all) return query;
  if (visibility.teamIds.length === 0) return query.andWhere('a.owner_id = :ownerId', { ownerId: visibility.ownerId });
  return query.andWhere('(a.owner_id = :ownerId OR a.team_id IN (:...teamIds))', { ownerId: visibility.ownerId, teamIds: visibility.teamIds });
}

@Injectable()
export class ApplicantsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.repository(ApplicantEntity);
  }

  async insert(applicant: Omit<ApplicantEntity, 'createdAt' | 'updatedAt' | 'version'>): Promise<ApplicantEntity> {
    await this.repo.insert(applicant);
    return this.repo.findOneByOrFail({ id: applicant.id });
  }

  findById(id: string): Promise<ApplicantEntity | null> {
    return visible(this.repo.createQueryBuilder('a').where('a.id = :id', { id })).getOne();
  }

  /** Locks the row until the transaction ends, so concurrent edits serialise. */
  findForUpdate(id: string): Promise<ApplicantEntity | null> {
    return visible(this.repo.createQueryBuilder('a').where('a.id = :id', { id })).setLock('pessimistic_write').getOne();
  }

  /** Saves changes; the version column increments. */
  save(applicant: ApplicantEntity): Promise<ApplicantEntity> {
    return this.repo.save(applicant);
  }

  /** Newest first; `limit + 1` rows so the caller knows whether another page exists. */
  listNewestFirst(limit: number, after?: Keyset): Promise<ApplicantEntity[]> {
    const query = visible(this.repo.createQueryBuilder('a').where('true'));
    query.orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit + 1);
    if (after) query.andWhere('(a.created_at, a.id) < (:at, :id)', { at: after.after, id: after.id });
    return query.getMany();
  }
}
