import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Role } from '@pace/auth';

/**
 * invited: an admin named the email, nobody has signed in with it yet.
 * pending: signed in from an allowed domain without an invitation; waits for an admin.
 * active: may sign in. deactivated: may not; their sessions were revoked.
 */
export const USER_STATUSES = ['invited', 'pending', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A person. Keyed by Google's stable `sub` once they have signed in; invitations match by email. */
@Entity('user_account')
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Google's subject identifier: never reassigned, unlike an email address. */
  @Index('user_account_google_sub', { unique: true })
  @Column({ type: 'text', nullable: true })
  googleSub!: string | null;

  /** Lower-case. */
  @Index('user_account_email', { unique: true })
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  /** Null while pending. */
  @Column({ type: 'text', nullable: true })
  role!: Role | null;

  @Column({ type: 'text' })
  status!: UserStatus;

  /** The Workspace domain (`hd`) of the last sign-in. */
  @Column({ type: 'text', nullable: true })
  hostedDomain!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
