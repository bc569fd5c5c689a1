import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Projection of applicants, fed by applicant events: what telephony knows of each applicant. */
@Entity('applicant_projection')
export class ApplicantProjectionEntity {
  @PrimaryColumn('uuid')
  applicantId!: string;

  @Column({ type: 'text' })
  displayName!: string;

  /** The applicant's version this row reflects; an older event never overwrites it. */
  @Column({ type: 'bigint' })
  version!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  projectedAt!: Date;
}

/** E.164 phone → applicant, for screen pop on inbound calls. A shared phone maps to several. */
@Entity('phone_directory')
@Index('phone_directory_applicant', ['applicantId'])
export class PhoneDirectoryEntity {
  @PrimaryColumn({ type: 'text' })
  phone!: string;

  @PrimaryColumn('uuid')
  applicantId!: string;
}
