import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One admin action: who, what, when, before and after. Written in the action's transaction. */
@Entity('audit_entry')
@Index('audit_entry_at_id', ['at', 'id'])
@Index('audit_entry_target_id', ['targetId'])
@Index('audit_entry_actor_id', ['actorId'])
export class AuditEntryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** User id of the admin, or null for the system (e.g. a bootstrap admin's first sign-in). */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** e.g. `user.approved`, `api-token.revoked`. */
  @Column({ type: 'text' })
  action!: string;

  /** user, team, session, service-principal, api-token. */
  @Column({ type: 'text' })
  targetType!: string;

  @Column({ type: 'text' })
  targetId!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  requestId!: string | null;
}
