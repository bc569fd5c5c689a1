import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ApplicantEntity } from '../applicants/applicant.entity';

/**
 * A listing an agent sent an applicant (WhatsApp, email, …). One row per listing; the listings
 * sent together share one timeline entry. Deleted with the applicant (an import rolled back);
 * moved to the survivor by a merge.
 */
@Entity('listing_share')
@Index('listing_share_applicant_id', ['applicantId', 'id'])
@Index('listing_share_applicant_listing', ['applicantId', 'listingId', 'id'])
// A retried request (same idempotency key) finds what its first attempt wrote.
@Index('listing_share_idempotency', ['applicantId', 'idempotencyKey'], { where: 'idempotency_key IS NOT NULL' })
export class ListingShareEntity {
  /** UUIDv7: ordering by id is ordering by time. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  applicantId!: string;

  @ManyToOne(() => ApplicantEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'applicant_id' })
  applicant?: ApplicantEntity;

  @Column({ type: 'uuid' })
  listingId!: string;

  /** The listing's reference and title when it was sent (what the applicant saw). */
  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'text', default: '' })
  title!: string;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text', default: '' })
  note!: string;

  /** Gateway user id or API token id; null for the system. */
  @Column({ type: 'uuid', nullable: true })
  sharedBy!: string | null;

  @Column({ type: 'timestamptz' })
  sharedAt!: Date;

  @Column({ type: 'uuid' })
  timelineEntryId!: string;

  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;
}
