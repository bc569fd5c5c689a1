import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Db } from '@pace/database';
import { NoticeEntity } from './notice.entity';

@Injectable()
export class NoticesRepository {
  constructor(private readonly db: Db) {}

  /** Newest first, `limit + 1` rows. */
  forAgent(agentId: string, limit: number, unreadOnly: boolean, beforeId?: string): Promise<NoticeEntity[]> {
    const q = this.db.repository(NoticeEntity).createQueryBuilder('n').where('n.agent_id = :agentId', { agentId }).orderBy('n.id', 'DESC').limit(limit + 1);
    if (unreadOnly) q.andWhere('n.read_at IS NULL');
    if (beforeId) q.andWhere('n.id < :beforeId', { beforeId });
    return q.getMany();
  }

  async markRead(agentId: string, id: string, at: Date): Promise<boolean> {
    const found = await this.db.repository(NoticeEntity).findOneBy({ id, agentId });
    if (!found) return false;
    await this.db.repository(NoticeEntity).update({ id, agentId, readAt: IsNull() }, { readAt: at });
    return true;
  }
}
