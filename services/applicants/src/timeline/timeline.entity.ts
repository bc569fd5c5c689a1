import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * One applicant's activity stream: notes, status changes, assignments, leads, merges, and later
 * calls, messages and viewings from other domains' events. A merge moves the merged applicant's
 * entries to the survivor (`originApplicantId` remembers where each came from).
 */
@Entity('timeline_entry')
@Index('timeline_entry_applicant_id', ['applicantId', 'id'])
// The sync feed's order (see @pace/database's sync.ts).
@Index('timeline_entry_change_seq_id', ['changeSeq', 'id'])
export class TimelineEntryEntity {
  /** UUIDv7: ordering by id is ordering by time. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  applicantId!: string;

  /** The applicant the entry was first written on (differs after a merge). */
  @Column({ type: 'uuid' })
  originApplicantId!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** Gateway user id or API token id; null for the system. */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  /** When the entry last changed (written, or moved to a survivor by a merge). */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** The last writing transaction's id, set by a trigger (see the SyncFeeds migration); never written here. */
  @Column({ type: 'bigint', select: false, insert: false, update: false })
  changeSeq?: string;
}
