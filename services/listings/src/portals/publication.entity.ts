import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where a listing stands on one portal, as syndication last reported it
 * (`syndication.publication-changed.v1`). Syndication owns publications; this is the listings
 * side's copy, so a listing shows "live on Bayut, rejected by Property Finder: …" to its agent
 * without a call across services.
 */
@Entity('listing_publication')
export class ListingPublicationEntity {
  @PrimaryColumn('uuid')
  listingId!: string;

  /** propertyfinder, bayut or website. */
  @PrimaryColumn('text')
  portal!: string;

  /** published or unpublished: what PACE wants on that portal. */
  @Column({ type: 'text' })
  desiredState!: string;

  /** pending, publishing, live, rejected, unpublished or failed. */
  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ type: 'text', nullable: true })
  portalListingId!: string | null;

  /** The publication's version in syndication: an older report never overwrites a newer one. */
  @Column({ type: 'bigint' })
  version!: string;

  @Column({ type: 'timestamptz' })
  changedAt!: Date;
}
