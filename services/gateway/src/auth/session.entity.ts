import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A browser session. The cookie holds a random token; only its SHA-256 is stored, so a copy of
 * this table does not let anyone in.
 */
@Entity('session')
@Index('session_user_id', ['userId'])
export class SessionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('session_token_hash', { unique: true })
  @Column({ type: 'text' })
  tokenHash!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  /** Echoed by the client in `x-csrf-token` on unsafe methods. */
  @Column({ type: 'text' })
  csrfToken!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Refreshed at most once a minute; idle expiry counts from here. */
  @Column({ type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ type: 'timestamptz' })
  absoluteExpiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** logout, rotated, admin, deactivated. */
  @Column({ type: 'text', nullable: true })
  revokedReason!: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent!: string | null;
}

/** One sign-in in progress: PKCE verifier and nonce, found by the hash of `state`. */
@Entity('login_state')
export class LoginStateEntity {
  @PrimaryColumn('text')
  stateHash!: string;

  @Column({ type: 'text' })
  codeVerifier!: string;

  @Column({ type: 'text' })
  nonce!: string;

  /** Path to return to after sign-in (same origin only). */
  @Column({ type: 'text' })
  returnTo!: string;

  @Index('login_state_expires_at')
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
