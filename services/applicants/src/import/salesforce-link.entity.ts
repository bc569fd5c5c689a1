import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A Salesforce contact that is the same person as an applicant already held (same normalised
 * phone or email): the CRM keeps one applicant per person, so the import links the second
 * Salesforce Id here instead of making a twin. Re-imports find it and change nothing.
 */
@Entity('applicant_salesforce_link')
@Index('applicant_salesforce_link_applicant', ['applicantId'])
@Index('applicant_salesforce_link_batch', ['importBatchId'])
export class SalesforceLinkEntity {
  @PrimaryColumn('text')
  salesforceId!: string;

  @Column({ type: 'uuid' })
  applicantId!: string;

  @Column({ type: 'uuid' })
  importBatchId!: string;

  @Column({ type: 'text' })
  importHash!: string;

  /** e.g. `phone +971501234567`. */
  @Column({ type: 'text' })
  matchedOn!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  linkedAt!: Date;
}
