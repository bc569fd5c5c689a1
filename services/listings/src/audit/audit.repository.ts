import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import { AuditEntity } from './audit.entity';

export interface AuditActor {
  userId: string;
  role: string;
}

export interface AuditFilter {
  listingId?: string;
  actorId?: string;
  action?: string;
  /** Only rows strictly older than this id (keyset). */
  beforeId?: string;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Joins the caller's transaction, so a mutation and its audit row commit together. */
  async record(
    listingId: string,
    actor: AuditActor,
    action: string,
    before: object | null,
    after: object | null,
    comment: string | null = null,
  ): Promise<void> {
    const row: AuditEntity = {
      id: uuidv7(),
      listingId,
      action,
      actorId: actor.userId,
      actorRole: actor.role,
      at: new Date(),
      before: before as Record<string, unknown> | null,
      after: after as Record<string, unknown> | null,
      comment,
    };
    await this.db.repository(AuditEntity).insert(row as never);
  }

  /** Many rows in one statement (an import batch, a rollback). */
  async recordMany(actor: AuditActor, rows: { listingId: string; action: string; before: object | null; after: object | null }[]): Promise<void> {
    if (!rows.length) return;
    const at = new Date();
    await this.db.repository(AuditEntity).insert(
      rows.map((r) => ({ id: uuidv7(), listingId: r.listingId, action: r.action, actorId: actor.userId, actorRole: actor.role, at, before: r.before, after: r.after, comment: null })) as never,
    );
  }

  /** Newest first, `limit + 1` rows. */
  list(filter: AuditFilter, limit: number): Promise<AuditEntity[]> {
    const q = this.db.repository(AuditEntity).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(limit + 1);
    if (filter.listingId) q.andWhere('a.listing_id = :listingId', { listingId: filter.listingId });
    if (filter.actorId) q.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.action) q.andWhere('a.action = :action', { action: filter.action });
    if (filter.beforeId) q.andWhere('a.id < :beforeId', { beforeId: filter.beforeId });
    return q.getMany();
  }
}
