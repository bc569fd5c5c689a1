import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { UnauthenticatedError, type UserCaller } from '@pace/auth';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { CredentialCache } from './credential-cache';
import type { SessionEntity } from './session.entity';
import { type SessionAuthRow, SessionsRepository } from './sessions.repository';
import { hashToken, randomToken } from './tokens';

/** `last_seen_at` is written at most this often per session (idle expiry is that coarse). */
const TOUCH_EVERY_MS = 60_000;

export interface NewSession {
  id: string;
  token: string;
  csrfToken: string;
  maxAgeMs: number;
}

export interface AuthenticatedSession {
  caller: UserCaller;
  sessionId: string;
  csrfToken: string;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Server-side sessions: the cookie is a random token; the row says whose it is, when it idles
 * out and when it ends regardless. A valid session's row (with the user's role, status and teams)
 * is kept in memory only while every change to those is notified to this process
 * (CredentialCache), so deactivation and revocation take effect on the very next request.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('sessions');

  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly cache: CredentialCache,
  ) {}

  private get idleMs(): number {
    return this.config.SESSION_IDLE_MINUTES * 60_000;
  }

  private get absoluteMs(): number {
    return this.config.SESSION_ABSOLUTE_MINUTES * 60_000;
  }

  async create(userId: string, userAgent: string | undefined): Promise<NewSession> {
    const token = randomToken();
    const csrfToken = randomToken();
    const now = new Date();
    const session: SessionEntity = {
      id: uuidv7(),
      tokenHash: hashToken(token),
      userId,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: new Date(now.getTime() + this.absoluteMs),
      revokedAt: null,
      revokedReason: null,
      userAgent: userAgent?.slice(0, 300) ?? null,
    };
    await this.sessions.insert(session);
    return { id: session.id, token, csrfToken, maxAgeMs: this.absoluteMs };
  }

  /** The caller behind a session cookie, or the reason it no longer works. */
  async authenticate(token: string): Promise<AuthenticatedSession> {
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.cache.get<SessionAuthRow>('session', hash, now);
    // Only sessions that passed every check are cached; one that has since expired or idled out
    // (as this process last saw it: another replica may have refreshed it) is re-read.
    if (cached && this.usable(cached, now)) return this.accepted(cached, now);
    const generation = this.cache.generation;
    const row = await this.sessions.findForAuth(hash);
    if (!row) throw new UnauthenticatedError('session-unknown', 'Your session is not known (signed out elsewhere?); sign in again.');
    if (row.revokedAt) throw new UnauthenticatedError('session-revoked', 'Your session was ended; sign in again.');
    if (row.absoluteExpiresAt.getTime() <= now) throw new UnauthenticatedError('session-expired', 'Your session has expired; sign in again.');
    if (row.lastSeenAt.getTime() + this.idleMs <= now) throw new UnauthenticatedError('session-idle', 'Your session timed out after inactivity; sign in again.');
    if (row.status !== 'active' || !row.role) throw new UnauthenticatedError('account-inactive', 'Your account is not active.');
    this.cache.set('session', hash, row, generation);
    return this.accepted(row, now);
  }

  private usable(row: SessionAuthRow, now: number): boolean {
    return !row.revokedAt && row.absoluteExpiresAt.getTime() > now && row.lastSeenAt.getTime() + this.idleMs > now && row.status === 'active' && !!row.role;
  }

  private accepted(row: SessionAuthRow, now: number): AuthenticatedSession {
    if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      // Off the request's path: a slow write must not slow the request, and a failed one only
      // makes idle expiry a minute stricter. The cached row too, so the next minute does not write.
      row.lastSeenAt = new Date(now);
      this.sessions.touch(row.id, row.lastSeenAt).catch((error: unknown) => this.logger.warn({ err: error }, 'could not refresh last_seen_at'));
    }
    return { caller: { kind: 'user', id: row.userId, role: row.role!, teamIds: row.teamIds }, sessionId: row.id, csrfToken: row.csrfToken };
  }

  revoke(id: string, reason: string): Promise<boolean> {
    return this.sessions.revoke(id, reason);
  }

  revokeAllOfUser(userId: string, reason: string): Promise<number> {
    return this.sessions.revokeAllOfUser(userId, reason);
  }

  listLive(userId: string): Promise<SessionEntity[]> {
    return this.sessions.listLive(userId);
  }

  findById(id: string): Promise<SessionEntity | null> {
    return this.sessions.findById(id);
  }
}
