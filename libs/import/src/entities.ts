import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One import run (not dry runs) in the schema of the service that owns the records: what file,
 * when, its summary, and when it was rolled back. Each record carries the id of the batch that
 * created it (`import_batch_id`).
 */
@Entity('import_batch')
export class ImportBatchEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** applicants, listings. */
  @Column({ type: 'text' })
  entity!: string;

  /** The file's name as given (for people; never opened again). */
  @Column({ type: 'text' })
  file!: string;

  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** created, updated, unchanged, invalid, duplicates, elapsed. */
  @Column({ type: 'jsonb', nullable: true })
  summary!: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', nullable: true })
  rolledBackAt!: Date | null;

  /** How many records the rollback deleted. */
  @Column({ type: 'int', nullable: true })
  rolledBackCount!: number | null;
}

/** Add to a service's `db.entities` when it imports records. */
export const importEntities = [ImportBatchEntity];
