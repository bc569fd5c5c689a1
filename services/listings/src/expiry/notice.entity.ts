import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Something an agent must know about one of their listings (e.g. it expired with its permit). */
@Entity('agent_notice')
@Index('agent_notice_agent', ['agentId', 'id'])
export class NoticeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  agentId!: string;

  @Column({ type: 'uuid' })
  listingId!: string;

  @Column({ type: 'text' })
  kind!: 'permit-expired' | 'portal-rejected';

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}

/** When each periodic job last ran, so replicas agree on "once a day". */
@Entity('job_run')
export class JobRunEntity {
  @PrimaryColumn('text')
  name!: string;

  @Column({ type: 'timestamptz' })
  lastRunAt!: Date;
}
