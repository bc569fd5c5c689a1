import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per mutation of a listing: who, when, what, and the listing before and after. */
@Entity('listing_audit')
@Index('listing_audit_listing', ['listingId', 'id'])
@Index('listing_audit_actor', ['actorId', 'id'])
export class AuditEntity {
  /** UUIDv7: ordering by id is ordering by time. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  listingId!: string;

  /** `create`, `update`, `transition:<action>`, `media:add`, … */
  @Column({ type: 'text' })
  action!: string;

  /** A user id, or `system`. */
  @Column({ type: 'text' })
  actorId!: string;

  @Column({ type: 'text' })
  actorRole!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  // json, as applicants' audit: snapshots are written once, read whole, never queried inside.
  @Column({ type: 'json', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'json', nullable: true })
  after!: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;
}
