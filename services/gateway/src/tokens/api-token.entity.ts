import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Scope } from '@pace/auth';

/** A machine that calls the API (Salesforce adapter, AI backend, an MCP server). */
@Entity('service_principal')
export class ServicePrincipalEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('service_principal_name', { unique: true })
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** active, or deactivated (every token of it stops working). */
  @Column({ type: 'text' })
  status!: 'active' | 'deactivated';

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** An API token of a service principal: shown once, stored as SHA-256, scoped, expiring. */
@Entity('api_token')
@Index('api_token_principal_id', ['principalId'])
export class ApiTokenEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  principalId!: string;

  @Index('api_token_token_hash', { unique: true })
  @Column({ type: 'text' })
  tokenHash!: string;

  /** The first characters of the token, so people can tell tokens apart without the secret. */
  @Column({ type: 'text' })
  prefix!: string;

  @Column({ type: 'text', array: true })
  scopes!: Scope[];

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** Recorded at most once a minute per token. */
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
