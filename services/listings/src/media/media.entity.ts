import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { MediaKind } from '@pace/listings-api';

/** An image or floor plan; the bytes live in the media store under `objectKey`. */
@Entity('listing_media')
@Index('listing_media_listing', ['listingId', 'kind', 'position'])
export class MediaEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  listingId!: string;

  @Column({ type: 'text' })
  kind!: MediaKind;

  /** 0-based order within the listing's media of this kind; 0 is the cover. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text', nullable: true })
  captionEn!: string | null;

  @Column({ type: 'text', nullable: true })
  captionAr!: string | null;

  @Column({ type: 'text' })
  objectKey!: string;

  @Column({ type: 'text' })
  contentType!: string;

  @Column({ type: 'integer' })
  sizeBytes!: number;

  /** Pixels, read from the image at upload; null for a PDF (and uploads from before they were read). */
  @Column({ type: 'integer', nullable: true })
  width!: number | null;

  @Column({ type: 'integer', nullable: true })
  height!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
