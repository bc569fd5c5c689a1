import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

@Entity('applicant')
@Index('applicant_created_at_id', ['createdAt', 'id'])
// Visibility filters (agent: own; manager: own teams) keep the newest-first keyset order.
@Index('applicant_owner_created_at_id', ['ownerId', 'createdAt', 'id'])
@Index('applicant_team_created_at_id', ['teamId', 'createdAt', 'id'])
export class ApplicantEntity {
  /** UUIDv7, made by the service: time-ordered, so inserts stay at the end of the index. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  firstName!: string;

  @Column({ type: 'text' })
  lastName!: string;

  /** E.164, first is primary. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  phones!: string[];

  /** Lower-cased, first is primary. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  emails!: string[];

  /** The agent (gateway user id) the applicant belongs to; null for records from before ownership. */
  @Column({ type: 'uuid', nullable: true })
  ownerId!: string | null;

  /** The team the record belongs to (managers of it see it); null when none. */
  @Column({ type: 'uuid', nullable: true })
  teamId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
