import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db, type DependentInsert, type SqlParams, queryWith } from '@pace/database';
import type { Actor } from '../applicants/applicant.view';
import { AuditEntity } from './audit.entity';

/** Audit rows ready to insert (`prepareMany`). */
export interface PreparedAudit {
  readonly count: number;
  readonly json: string;
  readonly actorId: string;
  readonly actorRole: string;
  readonly at: string;
}

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

  /** Many rows in one statement (an import batch, a rollback): arrays, not an ORM insert of hundreds of entities. */
  async recordMany(actor: Actor, rows: { applicantId: string; action: string; before: object | null; after: object | null }[]): Promise<void> {
    await this.recordPrepared(this.prepareMany(actor, rows));
  }

  /** `recordMany`'s statement parameters, built ahead of the transaction that writes them (an import batch). */
  prepareMany(actor: Actor, rows: { applicantId: string; action: string; before: object | null; after: object | null }[], at = new Date()): PreparedAudit {
    // One JSON parameter: JSON.stringify is native, pg's escaping of text arrays is not.
    return {
      count: rows.length,
      json: JSON.stringify(rows.map((r) => ({ id: uuidv7(), applicant_id: r.applicantId, action: r.action, before: r.before, after: r.after }))),
      actorId: actor.id ?? 'system',
      actorRole: actor.role,
      at: at.toISOString(),
    };
  }

  async recordPrepared(prepared: PreparedAudit): Promise<void> {
    if (!prepared.count) return;
    await queryWith(this.db.manager, (params) => this.insertSql(prepared, params));
  }

  /** The same insert, as part of another repository's statement (`keep`: the applicant ids to keep). */
  dependentInsert(prepared: PreparedAudit): DependentInsert {
    return { sql: (params, keep) => this.insertSql(prepared, params, keep) };
  }

  private insertSql(prepared: PreparedAudit, params: SqlParams, keep?: string): string {
    return `INSERT INTO applicants.applicant_audit (id, applicant_id, action, actor_id, actor_role, at, before, after)
       SELECT r.id, r.applicant_id, r.action, ${params.add(prepared.actorId)}, ${params.add(prepared.actorRole)}, ${params.add(prepared.at)}::timestamptz, r.before, r.after
       FROM json_to_recordset(${params.add(prepared.json)}::json) AS r(id uuid, applicant_id uuid, action text, before json, after json)${keep ? `
       WHERE r.applicant_id::text IN (${keep})` : ''}`;
  }

  /** Newest first, `limit + 1` rows. */
  list(filter: { applicantId?: string; beforeId?: string }, limit: number): Promise<AuditEntity[]> {
    const q = this.db.repository(AuditEntity).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(limit + 1);
    if (filter.applicantId) q.andWhere('a.applicant_id = :applicantId', { applicantId: filter.applicantId });
    if (filter.beforeId) q.andWhere('a.id < :beforeId', { beforeId: filter.beforeId });
    return q.getMany();
  }
}
