import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A lead taken in from a portal or the website. Its key (source, portal lead id) makes intake
 * idempotent; the assignment columns drive the claim timeout.
 */
@Entity('lead')
@Index('lead_applicant', ['applicantId'])
// The sweep's index (unclaimed leads by deadline) is partial: written in the migration.
@Index('lead_unclaimed', { synchronize: false })
export class LeadEntity {
  @PrimaryColumn({ type: 'text' })
  source!: string;

  @PrimaryColumn({ type: 'text' })
  portalLeadId!: string;

  @Column({ type: 'uuid' })
  applicantId!: string;

  /** The team whose roster the lead goes round; null when no team takes this source. */
  @Column({ type: 'uuid', nullable: true })
  teamId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  agentId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  assignedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  claimDeadline!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  reassignments!: number;

  @Column({ type: 'boolean' })
  matched!: boolean;

  @Column({ type: 'text', nullable: true })
  channel!: string | null;

  @Column({ type: 'uuid', nullable: true })
  listingId!: string | null;

  @Column({ type: 'text', nullable: true })
  listingReference!: string | null;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ type: 'timestamptz' })
  receivedAt!: Date;
}

/** Agents of a team who take its leads in turn (least recently assigned first). */
@Entity('roster_agent')
export class RosterAgentEntity {
  @PrimaryColumn('uuid')
  teamId!: string;

  @PrimaryColumn('uuid')
  agentId!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'integer', default: 0 })
  position!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastAssignedAt!: Date | null;
}

/** Which team receives the leads of a source. */
@Entity('lead_route')
export class LeadRouteEntity {
  @PrimaryColumn({ type: 'text' })
  source!: string;

  @Column({ type: 'uuid' })
  teamId!: string;
}
