import { Injectable } from '@nestjs/common';
import { Db, type Keyset } from '@pace/database';
import { AuditEntryEntity } from './audit-entry.entity';

export interface AuditFilter {
  actorId?: string;
  targetId?: string;
  action?: string;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async insert(e: AuditEntryEntity): Promise<void> {
    await this.db.manager.query(
      `INSERT INTO gateway.audit_entry (id, at, actor_id, action, target_type, target_id, before, after, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.id, e.at, e.actorId, e.action, e.targetType, e.targetId, e.before && JSON.stringify(e.before), e.after && JSON.stringify(e.after), e.requestId],
    );
  }

  /** Newest first, `limit + 1` rows. */
  list(filter: AuditFilter, limit: number, after?: Keyset): Promise<AuditEntryEntity[]> {
    const query = this.db.repository(AuditEntryEntity).createQueryBuilder('e').where('true');
    if (filter.actorId) query.andWhere('e.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.targetId) query.andWhere('e.target_id = :targetId', { targetId: filter.targetId });
    if (filter.action) query.andWhere('e.action = :action', { action: filter.action });
    if (after) query.andWhere('(e.at, e.id) < (:at, :id)', { at: after.after, id: after.id });
    return query.orderBy('e.at', 'DESC').addOrderBy('e.id', 'DESC').limit(limit + 1).getMany();
  }
}
