import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

@Entity('applicant')
@Index('applicant_created_at_id', ['createdAt', 'id'])
// Visibility filters (agent: own; manager: own teams) keep the newest-first keyset order.
@Index('applicant_owner_created_at_id', ['ownerId', 'createdAt', 'id'])
@Index('applicant_team_created_at_id', ['teamId', 'createdAt', 'id'])
@Index('applicant_status', ['status', 'createdAt'])
// GIN indexes (phones, emails, tags, search vector) and the trigger keeping the search vector are
// written by hand in the migration: TypeORM cannot express them.
@Index('applicant_phones', { synchronize: false })
@Index('applicant_emails', { synchronize: false })
@Index('applicant_tags', { synchronize: false })
@Index('applicant_search', { synchronize: false })
// The sync feed's order (see @pace/database's sync.ts).
@Index('applicant_change_seq_id', ['changeSeq', 'id'])
export class ApplicantEntity {
  /** UUIDv7, made by the service: time-ordered, so inserts stay at the end of the index. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  firstName!: string;

  @Column({ type: 'text' })
  lastName!: string;

  /** E.164, first is primary. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  phones!: string[];

  /** Lower-cased, first is primary. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  emails!: string[];

  /** The agent (gateway user id) the applicant belongs to; null when unassigned. */
  @Column({ type: 'uuid', nullable: true })
  ownerId!: string | null;

  /** The team the record belongs to (managers of it see it); null when none. */
  @Column({ type: 'uuid', nullable: true })
  teamId!: string | null;

  /** Pipeline: new → contacted → qualified → viewing → offer → won | lost. */
  @Column({ type: 'text', default: 'new' })
  status!: string;

  @Column({ type: 'text', nullable: true })
  lostReason!: string | null;

  /** propertyfinder, bayut, website, walk_in, referral, import. */
  @Column({ type: 'text', default: 'walk_in' })
  source!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** ISO 639-1. */
  @Column({ type: 'text', nullable: true })
  preferredLanguage!: string | null;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'text', nullable: true })
  nationality!: string | null;

  @Column({ type: 'boolean', default: false })
  whatsappOptIn!: boolean;

  @Column({ type: 'boolean', default: false })
  emailOptIn!: boolean;

  /** Requirements: buy or rent. */
  @Column({ type: 'text', nullable: true })
  intent!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  propertyTypes!: string[];

  @Column({ type: 'smallint', nullable: true })
  bedroomsMin!: number | null;

  @Column({ type: 'smallint', nullable: true })
  bedroomsMax!: number | null;

  /** Fils (AED minor units). bigint comes back from pg as a string. */
  @Column({ type: 'bigint', nullable: true })
  budgetMinFils!: string | null;

  @Column({ type: 'bigint', nullable: true })
  budgetMaxFils!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  communities!: string[];

  @Column({ type: 'text', nullable: true })
  furnishing!: string | null;

  /** YYYY-MM-DD. */
  @Column({ type: 'date', nullable: true })
  moveInDate!: string | null;

  /** Set on a tombstone: the applicant this one was merged into. */
  @Column({ type: 'uuid', nullable: true })
  mergedInto!: string | null;

  /** Maintained by a trigger (see the migration); never written by the service. */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string;

  /**
   * The id of the transaction that last wrote the row (`pg_current_xact_id()`), set by a trigger
   * (see the SyncFeeds migration); the sync feed's position. Never written by the service.
   */
  @Column({ type: 'bigint', select: false, insert: false, update: false })
  changeSeq?: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;

  /** The Salesforce record (Contact or Lead Id) it was imported from: re-imports update it. */
  @Index('applicant_salesforce_id', { unique: true })
  @Column({ type: 'text', nullable: true })
  salesforceId!: string | null;

  /** The import batch that created it (rolling the batch back deletes it); null if made by hand. */
  @Index('applicant_import_batch')
  @Column({ type: 'uuid', nullable: true })
  importBatchId!: string | null;

  /** Hash of the imported content: a re-import of unchanged data writes nothing. */
  @Column({ type: 'text', nullable: true })
  importHash!: string | null;
}
