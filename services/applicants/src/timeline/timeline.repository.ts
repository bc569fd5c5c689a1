import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db, type DependentInsert, type SqlParams, queryWith } from '@pace/database';
import type { Actor } from '../applicants/applicant.view';
import { TimelineEntryEntity } from './timeline.entity';

export interface NewEntry {
  kind: string;
  summary: string;
  data?: Record<string, unknown>;
}

/** Timeline entries ready to insert (`prepareMany`). */
export interface PreparedEntries {
  readonly count: number;
  readonly json: string;
  readonly at: Date;
  readonly actorId: string | null;
}

@Injectable()
export class TimelineRepository {
  constructor(private readonly db: Db) {}

  /** Joins the caller's transaction: the change and its timeline entry commit together. */
  async add(applicantId: string, actor: Actor, entry: NewEntry, at = new Date()): Promise<TimelineEntryEntity> {
    const row: TimelineEntryEntity = {
      id: uuidv7(),
      applicantId,
      originApplicantId: applicantId,
      kind: entry.kind,
      at,
      actorId: actor.id,
      summary: entry.summary,
      data: entry.data ?? {},
      updatedAt: at,
    };
    await this.db.repository(TimelineEntryEntity).insert(row as never);
    return row;
  }

  /** Many entries in one statement (an import batch): arrays, not an ORM insert of hundreds of entities. */
  async addMany(actor: Actor, entries: (NewEntry & { applicantId: string })[], at = new Date()): Promise<void> {
    await this.addPrepared(this.prepareMany(actor, entries, at));
  }

  /**
   * `addMany`'s statement parameters, built ahead of the transaction that writes them (an import
   * prepares a batch while the previous one commits).
   */
  prepareMany(actor: Actor, entries: (NewEntry & { applicantId: string })[], at = new Date()): PreparedEntries {
    return { count: entries.length, json: JSON.stringify(entries.map((e) => ({ id: uuidv7(), applicant_id: e.applicantId, kind: e.kind, summary: e.summary, data: e.data ?? {} }))), at, actorId: actor.id };
  }

  async addPrepared(prepared: PreparedEntries): Promise<void> {
    if (!prepared.count) return;
    await queryWith(this.db.manager, (params) => this.insertSql(prepared, params));
  }

  /** The same insert, as part of another repository's statement (`keep`: the applicant ids to keep). */
  dependentInsert(prepared: PreparedEntries): DependentInsert {
    return { sql: (params, keep) => this.insertSql(prepared, params, keep) };
  }

  private insertSql(prepared: PreparedEntries, params: SqlParams, keep?: string): string {
    return `INSERT INTO applicants.timeline_entry (id, applicant_id, origin_applicant_id, kind, at, actor_id, summary, data)
       SELECT e.id, e.applicant_id, e.applicant_id, e.kind, ${params.add(prepared.at)}::timestamptz, ${params.add(prepared.actorId)}::uuid, e.summary, e.data
       FROM json_to_recordset(${params.add(prepared.json)}::json) AS e(id uuid, applicant_id uuid, kind text, summary text, data jsonb)${keep ? `
       WHERE e.applicant_id::text IN (${keep})` : ''}`;
  }

  /** Deletes the whole stream of these applicants (an import rolled back), entries moved in by merges too. */
  async deleteFor(applicantIds: string[]): Promise<number> {
    if (!applicantIds.length) return 0;
    const [, affected] = (await this.db.manager.query(`DELETE FROM applicants.timeline_entry WHERE applicant_id = ANY($1::uuid[])`, [applicantIds])) as [unknown, number];
    return affected;
  }

  get(id: string): Promise<TimelineEntryEntity | null> {
    return this.db.repository(TimelineEntryEntity).findOneBy({ id });
  }

  /** Newest first, `limit + 1` rows. */
  list(applicantId: string, limit: number, beforeId?: string): Promise<TimelineEntryEntity[]> {
    const q = this.db
      .repository(TimelineEntryEntity)
      .createQueryBuilder('t')
      .where('t.applicant_id = :applicantId', { applicantId })
      .orderBy('t.id', 'DESC')
      .limit(limit + 1);
    if (beforeId) q.andWhere('t.id < :beforeId', { beforeId });
    return q.getMany();
  }

  /** A merge: the merged applicant's whole stream moves to the survivor, in time order with its own. */
  async moveAll(fromId: string, toId: string): Promise<number> {
    const result = await this.db.repository(TimelineEntryEntity).update({ applicantId: fromId }, { applicantId: toId });
    return result.affected ?? 0;
  }
}
