import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A Manager's (or Admin's) decision on a listing submitted for approval. */
@Entity('listing_approval')
@Index('listing_approval_listing', ['listingId', 'decidedAt'])
export class ApprovalEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  listingId!: string;

  @Column({ type: 'text' })
  decision!: 'approved' | 'rejected';

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: 'uuid' })
  decidedBy!: string;

  @Column({ type: 'text' })
  decidedByRole!: string;

  @Column({ type: 'timestamptz' })
  decidedAt!: Date;
}
