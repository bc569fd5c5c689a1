import { Injectable } from '@nestjs/common';
import { IsNull, LessThan } from 'typeorm';
import type { Role } from '@pace/auth';
import { Db } from '@pace/database';
import type { UserStatus } from '../identity/user.entity';
import { CredentialCache } from './credential-cache';
import { LoginStateEntity, SessionEntity } from './session.entity';

/** A session with the state of its user, read in one query on every request. */
export interface SessionAuthRow {
  id: string;
  userId: string;
  csrfToken: string;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
  revokedAt: Date | null;
  role: Role | null;
  status: UserStatus;
  teamIds: string[];
}

@Injectable()
export class SessionsRepository {
  constructor(
    private readonly db: Db,
    private readonly cache: CredentialCache,
  ) {}

  private get sessions() {
    return this.db.repository(SessionEntity);
  }

  async insert(session: SessionEntity): Promise<void> {
    await this.sessions.insert(session);
  }

  async findForAuth(tokenHash: string): Promise<SessionAuthRow | undefined> {
    const rows = (await this.db.manager.query(
      `SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at, s.absolute_expires_at, s.revoked_at, u.role, u.status,
              coalesce((SELECT array_agg(m.team_id ORDER BY m.team_id)::text[] FROM gateway.team_membership m WHERE m.user_id = u.id), '{}') AS team_ids
         FROM gateway.session s JOIN gateway.user_account u ON u.id = s.user_id
        WHERE s.token_hash = $1`,
      [tokenHash],
    )) as Record<string, unknown>[];
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id as string,
      userId: row.user_id as string,
      csrfToken: row.csrf_token as string,
      lastSeenAt: row.last_seen_at as Date,
      absoluteExpiresAt: row.absolute_expires_at as Date,
      revokedAt: row.revoked_at as Date | null,
      role: row.role as Role | null,
      status: row.status as UserStatus,
      teamIds: row.team_ids as string[],
    };
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.sessions.update({ id }, { lastSeenAt: at });
  }

  findById(id: string): Promise<SessionEntity | null> {
    return this.sessions.findOneBy({ id });
  }

  async revoke(id: string, reason: string): Promise<boolean> {
    const result = await this.sessions.update({ id, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
    this.cache.invalidateOnCommit();
    return (result.affected ?? 0) > 0;
  }

  async revokeAllOfUser(userId: string, reason: string): Promise<number> {
    const result = await this.sessions.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
    this.cache.invalidateOnCommit();
    return result.affected ?? 0;
  }

  /** Sessions not revoked and not past their absolute expiry, newest first. */
  listLive(userId: string): Promise<SessionEntity[]> {
    return this.sessions
      .createQueryBuilder('s')
      .where('s.user_id = :userId AND s.revoked_at IS NULL AND s.absolute_expires_at > now()', { userId })
      .orderBy('s.created_at', 'DESC')
      .getMany();
  }

  async insertLoginState(state: LoginStateEntity): Promise<void> {
    await this.db.repository(LoginStateEntity).insert(state);
  }

  /** Single use: the row is deleted as it is read. */
  async takeLoginState(stateHash: string): Promise<LoginStateEntity | undefined> {
    const result = (await this.db.manager.query(
      `DELETE FROM gateway.login_state WHERE state_hash = $1 RETURNING code_verifier, nonce, return_to, expires_at`,
      [stateHash],
    )) as [Record<string, unknown>[], number];
    const row = result[0][0];
    if (!row) return undefined;
    return {
      stateHash,
      codeVerifier: row.code_verifier as string,
      nonce: row.nonce as string,
      returnTo: row.return_to as string,
      expiresAt: row.expires_at as Date,
    };
  }

  async purgeExpiredLoginStates(): Promise<void> {
    await this.db.repository(LoginStateEntity).delete({ expiresAt: LessThan(new Date()) });
  }
}
