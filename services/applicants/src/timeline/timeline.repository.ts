import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import type { Actor } from '../applicants/applicant.view';
import { TimelineEntryEntity } from './timeline.entity';

export interface NewEntry {
  kind: string;
  summary: string;
  data?: Record<string, unknown>;
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
