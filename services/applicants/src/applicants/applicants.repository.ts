import { Injectable } from '@nestjs/common';
import { Db, type Keyset } from '@pace/database';
import { ApplicantEntity } from './applicant.entity';

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
    return this.repo.findOneBy({ id });
  }

  /** Locks the row until the transaction ends, so concurrent edits serialise. */
  findForUpdate(id: string): Promise<ApplicantEntity | null> {
    return this.repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Saves changes; the version column increments. */
  save(applicant: ApplicantEntity): Promise<ApplicantEntity> {
    return this.repo.save(applicant);
  }

  /** Newest first; `limit + 1` rows so the caller knows whether another page exists. */
  listNewestFirst(limit: number, after?: Keyset): Promise<ApplicantEntity[]> {
    const query = this.repo.createQueryBuilder('a').orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit + 1);
    if (after) query.where('(a.created_at, a.id) < (:at, :id)', { at: after.after, id: after.id });
    return query.getMany();
  }
}
