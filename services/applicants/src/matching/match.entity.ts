import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One listing that fits one applicant, with its score and reasons. No foreign keys on purpose:
 * a key check would take a lock on the applicant row, and listing events recompute matches
 * while applicant edits hold that row (see MatchingRepository's locks).
 */
@Entity('applicant_match')
// Ranked both ways: an applicant's listings, a listing's applicants.
@Index('applicant_match_applicant_rank', ['applicantId', 'score', 'listingId'])
@Index('applicant_match_listing_rank', ['listingId', 'score', 'applicantId'])
export class ApplicantMatchEntity {
  @PrimaryColumn('uuid')
  applicantId!: string;

  @PrimaryColumn('uuid')
  listingId!: string;

  /** 0–100. */
  @Column({ type: 'smallint' })
  score!: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  reasons!: string[];

  @Column({ type: 'timestamptz', default: () => 'now()' })
  computedAt!: Date;
}
