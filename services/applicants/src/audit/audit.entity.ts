import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per mutation of an applicant: who, when, what, and the applicant before and after. */
@Entity('applicant_audit')
@Index('applicant_audit_applicant', ['applicantId', 'id'])
@Index('applicant_audit_actor', ['actorId', 'id'])
export class AuditEntity {
  /** UUIDv7: ordering by id is ordering by time. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  applicantId!: string;

  /** create, update, status, note, assign, lead, claim, merge, merged. */
  @Column({ type: 'text' })
  action!: string;

  /** A user id, an API token id, or `system`. */
  @Column({ type: 'text' })
  actorId!: string;

  /** agent, manager, admin, service, system. */
  @Column({ type: 'text' })
  actorRole!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  // json, not jsonb: snapshots are written once, read whole and never queried inside, and json
  // keeps them as written without jsonb's parse and rebuild (half an import's audit insert cost).
  @Column({ type: 'json', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'json', nullable: true })
  after!: Record<string, unknown> | null;
}
