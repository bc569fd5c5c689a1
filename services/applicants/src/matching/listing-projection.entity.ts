import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Applicants' projection of listings, fed by listing events (each carries the whole snapshot):
 * only what matching and its answers need. A stale event never overwrites a newer version.
 */
@Entity('listing_projection')
// Matching an applicant scans the advertised listings of one purpose.
@Index('listing_projection_status_purpose', ['status', 'purpose'])
export class ListingProjectionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  reference!: string;

  /** The listing's version this row reflects. */
  @Column({ type: 'bigint' })
  version!: string;

  /** draft, pending_approval, approved, published, under_offer, … Only `published` matches. */
  @Column({ type: 'text' })
  status!: string;

  /** sale or rent. */
  @Column({ type: 'text' })
  purpose!: string;

  /** yearly, monthly, weekly, daily for rentals; empty for sales. */
  @Column({ type: 'text', default: '' })
  rentFrequency!: string;

  @Column({ type: 'text' })
  propertyType!: string;

  @Column({ type: 'smallint', nullable: true })
  bedrooms!: number | null;

  /** Fils, per rent period for rentals; null when no price was given. bigint: a string from pg. */
  @Column({ type: 'bigint', nullable: true })
  priceFils!: string | null;

  /** What a budget is compared with: the sale price, or the rent per year. */
  @Column({ type: 'bigint', nullable: true })
  comparablePriceFils!: string | null;

  @Column({ type: 'text', default: 'AED' })
  currency!: string;

  @Column({ type: 'text', default: '' })
  community!: string;

  @Column({ type: 'text', default: '' })
  subCommunity!: string;

  /** unfurnished, semi-furnished, furnished; empty when not given. */
  @Column({ type: 'text', default: '' })
  furnishing!: string;

  /** ready or off_plan. */
  @Column({ type: 'text', default: '' })
  completionStatus!: string;

  /** English title (the Arabic one is not needed to rank). */
  @Column({ type: 'text', default: '' })
  title!: string;

  @Column({ type: 'text', default: '' })
  agentId!: string;

  @Column({ type: 'text', default: '' })
  teamId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  projectedAt!: Date;
}
