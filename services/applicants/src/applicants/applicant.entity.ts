import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

@Entity('applicant')
@Index('applicant_created_at_id', ['createdAt', 'id'])
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
