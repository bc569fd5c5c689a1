import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * Work for a push portal: bring one listing on one portal in line with its desired state. One row
 * per listing and portal (a newer change re-arms it); claimed with FOR UPDATE SKIP LOCKED plus a
 * lease, so a crashed worker's job is taken up again after the lease.
 */
@Entity('publish_job')
@Unique('publish_job_listing_portal', ['listingId', 'portal'])
@Index('publish_job_due', ['runAt'])
export class PublishJobEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  listingId!: string;

  @Column({ type: 'text' })
  portal!: string;

  @Column({ type: 'timestamptz' })
  runAt!: Date;

  /** Bumped by every re-arm: a worker only deletes the job it ran. */
  @Column({ type: 'int', default: 1 })
  generation!: number;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;
}

/** Each Property Finder webhook event handled, by its id: a redelivery has no second effect. */
@Entity('webhook_event')
export class WebhookEventEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'jsonb' })
  body!: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}

/** Property Finder location ids found by name (PF needs ids, listings carry names). */
@Entity('pf_location')
export class PfLocationEntity {
  @PrimaryColumn({ type: 'text' })
  search!: string;

  @Column({ type: 'int' })
  locationId!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  fetchedAt!: Date;
}
