import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { PublicationState } from '@pace/syndication-api';
import type { Problem } from '../validation/rules';

export type { PublicationState };
export type DesiredState = 'published' | 'unpublished';

export interface OpenAction {
  id: string;
  actionType: string;
  status: string;
  message: string;
  expiresAt: string | null;
  expireAction: string | null;
}

/** Where one listing stands on one portal: what PACE wants, what the portal has, and why. */
@Entity('publication')
@Unique('publication_listing_portal', ['listingId', 'portal'])
@Index('publication_portal_state', ['portal', 'state'])
@Index('publication_portal_listing', ['portal', 'portalListingId'])
export class PublicationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  listingId!: string;

  @Column({ type: 'text' })
  portal!: string;

  @Column({ type: 'text' })
  desiredState!: DesiredState;

  @Column({ type: 'text' })
  state!: PublicationState;

  /** The portal's id of the listing (Property Finder's ULID-like id). */
  @Column({ type: 'text', nullable: true })
  portalListingId!: string | null;

  /** The portal's or the validator's explanation of the state. */
  @Column({ type: 'text', nullable: true })
  message!: string | null;

  /** The portal's rendering of the listing, made when it was projected (Bayut: its feed tags). */
  @Column({ type: 'text', nullable: true })
  document!: string | null;

  /** The last validation report: empty when the listing may go to the portal. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  problems!: Problem[];

  /** Compliance actions the portal opened (Property Finder `listing.action`). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  openActions!: OpenAction[];

  /** Calls made to the portal for the current job (failed ones included). */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  /** When it last went live (Bayut: when it entered the feed). */
  @Column({ type: 'timestamptz', nullable: true })
  liveSince!: Date | null;

  /** The listing version last sent to (or put in the feed for) the portal. */
  @Column({ type: 'bigint', default: 0 })
  syncedVersion!: string;

  /** Increases with every change; carried by publication-changed events. */
  @Column({ type: 'int', default: 1 })
  version!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  changedAt!: Date;
}
