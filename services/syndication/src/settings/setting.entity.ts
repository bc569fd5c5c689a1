import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An AES-256-GCM ciphertext with the id of the key that made it (for rotation). */
export interface Sealed {
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

/** One row per portal: on/off, encrypted credentials, non-secret options, the access token hash. */
@Entity('portal_setting')
@Index('portal_setting_token', ['accessTokenHash'], { unique: true })
export class PortalSettingEntity {
  @PrimaryColumn({ type: 'text' })
  portal!: string;

  @Column({ type: 'boolean', default: false })
  enabled!: boolean;

  @Column({ type: 'jsonb', nullable: true })
  credentials!: Sealed | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  options!: Record<string, string>;

  /** SHA-256 of the Bayut feed token or of the website's API key (never the token itself). */
  @Column({ type: 'text', nullable: true })
  accessTokenHash!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  accessTokenRotatedAt!: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
