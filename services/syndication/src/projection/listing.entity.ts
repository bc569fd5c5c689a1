import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProjectedListing } from './listing.model';

/** Projection of listings, fed by listing events: the source of every feed and push. */
@Entity('listing')
@Index('listing_reference', ['reference'])
export class ListingProjectionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  reference!: string;

  /** The listing's version this row reflects; an older event never overwrites it. */
  @Column({ type: 'bigint' })
  version!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'jsonb' })
  data!: ProjectedListing;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  projectedAt!: Date;
}
