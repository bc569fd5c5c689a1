import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn, type ValueTransformer } from 'typeorm';
import type {
  Category,
  CompletionStatus,
  Emirate,
  Furnishing,
  ListingStatus,
  PermitType,
  Portal,
  PropertyType,
  Purpose,
  RentFrequency,
} from '@pace/listings-api';

/** bigint and numeric come back from pg as strings; fils stay far below 2^53. */
export const numeric: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * English words are stemmed ('english'), Arabic text and names are kept as written ('simple').
 * Weights: A title, B location and reference, C description.
 */
export const SEARCH_VECTOR_SQL =
  "setweight(to_tsvector('english'::regconfig, coalesce(title_en, '')), 'A') || " +
  "setweight(to_tsvector('simple'::regconfig, coalesce(title_ar, '')), 'A') || " +
  "setweight(to_tsvector('simple'::regconfig, reference || ' ' || community || ' ' || coalesce(sub_community, '') || ' ' || coalesce(building, '')), 'B') || " +
  "setweight(to_tsvector('english'::regconfig, coalesce(description_en, '')), 'C') || " +
  "setweight(to_tsvector('simple'::regconfig, coalesce(description_ar, '')), 'C')";

@Entity('listing')
@Index('listing_reference', ['reference'], { unique: true })
@Index('listing_created_at_id', ['createdAt', 'id'])
@Index('listing_status_price', ['status', 'priceFils', 'id'])
@Index('listing_agent', ['agentId', 'createdAt'])
@Index('listing_team', ['teamId', 'createdAt'])
@Index('listing_community', ['community', 'status', 'priceFils'])
// GIN over the search vector and the permit-sweep partial index are written by hand in the migration.
@Index('listing_search', { synchronize: false })
// The sync feed's order (see @pace/database's sync.ts).
@Index('listing_change_seq_id', ['changeSeq', 'id'])
@Index('listing_published_permit', { synchronize: false })
export class ListingEntity {
  /** UUIDv7, made by the service. */
  @PrimaryColumn('uuid')
  id!: string;

  /** Human-readable and unique, e.g. ALS-S-000123; the key portals use (specs/portals.md §6). */
  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'text' })
  status!: ListingStatus;

  @Column({ type: 'text' })
  purpose!: Purpose;

  @Column({ type: 'text', nullable: true })
  rentFrequency!: RentFrequency | null;

  @Column({ type: 'text' })
  category!: Category;

  @Column({ type: 'text' })
  propertyType!: PropertyType;

  /** Integer fils (1 AED = 100 fils); for rentals, per `rentFrequency` period. */
  @Column({ type: 'bigint', nullable: true, transformer: numeric })
  priceFils!: number | null;

  @Column({ type: 'text', default: 'AED' })
  currency!: 'AED';

  /** 0 is a studio. */
  @Column({ type: 'smallint', nullable: true })
  bedrooms!: number | null;

  @Column({ type: 'smallint', nullable: true })
  bathrooms!: number | null;

  /** Built-up area, always stored in square feet (`sizeUnit`). */
  @Column({ type: 'numeric', precision: 12, scale: 2, nullable: true, transformer: numeric })
  size!: number | null;

  @Column({ type: 'numeric', precision: 12, scale: 2, nullable: true, transformer: numeric })
  plotSize!: number | null;

  @Column({ type: 'text', default: 'sqft' })
  sizeUnit!: 'sqft';

  @Column({ type: 'text' })
  emirate!: Emirate;

  @Column({ type: 'text' })
  community!: string;

  @Column({ type: 'text', nullable: true })
  subCommunity!: string | null;

  @Column({ type: 'text', nullable: true })
  building!: string | null;

  @Column({ type: 'text', nullable: true })
  titleEn!: string | null;

  @Column({ type: 'text', nullable: true })
  titleAr!: string | null;

  @Column({ type: 'text', nullable: true })
  descriptionEn!: string | null;

  @Column({ type: 'text', nullable: true })
  descriptionAr!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  amenities!: string[];

  @Column({ type: 'text', nullable: true })
  furnishing!: Furnishing | null;

  @Column({ type: 'text', default: 'ready' })
  completionStatus!: CompletionStatus;

  @Column({ type: 'text', nullable: true })
  permitNumber!: string | null;

  @Column({ type: 'text', nullable: true })
  permitType!: PermitType | null;

  /** Calendar dates in Dubai, `YYYY-MM-DD`. */
  @Column({ type: 'date', nullable: true })
  permitIssueDate!: string | null;

  @Column({ type: 'date', nullable: true })
  permitExpiryDate!: string | null;

  @Column({ type: 'text', nullable: true })
  landlordName!: string | null;

  /** E.164. */
  @Column({ type: 'text', nullable: true })
  landlordPhone!: string | null;

  @Column({ type: 'text', nullable: true })
  landlordEmail!: string | null;

  /** The assigned agent (a gateway user id). */
  @Column({ type: 'uuid' })
  agentId!: string;

  @Column({ type: 'uuid', nullable: true })
  teamId!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  portals!: Portal[];

  @Column({ type: 'uuid' })
  createdBy!: string;

  @Column({ type: 'tsvector', generatedType: 'STORED', asExpression: SEARCH_VECTOR_SQL, select: false, insert: false, update: false })
  searchVector?: string;

  /**
   * The id of the transaction that last wrote the row (`pg_current_xact_id()`), set by a trigger
   * (see the SyncFeed migration); the sync feed's position. Never written by the service.
   */
  @Column({ type: 'bigint', select: false, insert: false, update: false })
  changeSeq?: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  statusChangedAt!: Date;

  @VersionColumn()
  version!: number;

  /** The Salesforce record (`pba__Listing__c` Id) it was imported from: re-imports update it. */
  @Index('listing_salesforce_id', { unique: true })
  @Column({ type: 'text', nullable: true })
  salesforceId!: string | null;

  /** The import batch that created it (rolling the batch back deletes it); null if made by hand. */
  @Index('listing_import_batch')
  @Column({ type: 'uuid', nullable: true })
  importBatchId!: string | null;

  /** Hash of the imported content: a re-import of unchanged data writes nothing. */
  @Column({ type: 'text', nullable: true })
  importHash!: string | null;
}

/** Every price a listing has had, newest last. */
@Entity('listing_price')
@Index('listing_price_listing', ['listingId', 'changedAt'])
export class ListingPriceEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  listingId!: string;

  @Column({ type: 'bigint', transformer: numeric })
  priceFils!: number;

  @Column({ type: 'text', default: 'AED' })
  currency!: 'AED';

  @Column({ type: 'text' })
  purpose!: Purpose;

  @Column({ type: 'text', nullable: true })
  rentFrequency!: RentFrequency | null;

  @Column({ type: 'timestamptz' })
  changedAt!: Date;

  @Column({ type: 'text' })
  changedBy!: string;
}
