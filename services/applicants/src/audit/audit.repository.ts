import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import type { Actor } from '../applicants/applicant.view';
import { AuditEntity } from './audit.entity';

@Injectable()
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Joins the caller's transaction, so a mutation and its audit row commit together. */
  async record(applicantId: string, actor: Actor, action: string, before: object | null, after: object | null): Promise<void> {
    const row: AuditEntity = {
      id: uuidv7(),
      applicantId,
      action,
      actorId: actor.id ?? 'system',
      actorRole: actor.role,
      at: new Date(),
      before: before as Record<string, unknown> | null,
      after: after as Record<string, unknown> | null,
    };
    await this.db.repository(AuditEntity).insert(row as never);
  }

  /** Newest first, `limit + 1` rows. */
  list(filter: { applicantId?: string; beforeId?: string }, limit: number): Promise<AuditEntity[]> {
    const q = this.db.repository(AuditEntity).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(limit + 1);
    if (filter.applicantId) q.andWhere('a.applicant_id = :applicantId', { applicantId: filter.applicantId });
    if (filter.beforeId) q.andWhere('a.id < :beforeId', { beforeId: filter.beforeId });
    return q.getMany();
  }
}
