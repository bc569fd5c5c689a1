import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db, type Page } from '@pace/database';
import { NotFoundError } from '@pace/http';
import { AuditService } from '../audit/audit.service';
import type { VerifiedIdentity } from '../auth/oidc.client';
import { ApiError } from '../common/errors';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import type { TeamEntity } from './team.entity';
import type { UserEntity, UserStatus } from './user.entity';
import type { TeamView, UserView } from './users.dto';
import { UsersRepository } from './users.repository';

export function userView(u: UserEntity, teamIds: string[]): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.status,
    teamIds,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    version: u.version,
  };
}

export function teamView(t: TeamEntity): TeamView {
  return { id: t.id, name: t.name, createdAt: t.createdAt.toISOString() };
}

/** People as the rest of the gateway reads them, and who a Google identity is. */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * The user a verified Google identity signs in as. Known `sub`: that user. Otherwise an
   * invitation for the email is claimed, a bootstrap admin is created, or the person is recorded
   * as pending approval. Only an active user gets through.
   */
  async resolveSignIn(identity: VerifiedIdentity): Promise<UserEntity> {
    const user = await this.db.transaction(async () => {
      const known = await this.users.findBySub(identity.sub);
      if (known) {
        Object.assign(known, { email: identity.email, name: identity.name ?? known.name, hostedDomain: identity.hostedDomain });
        if (known.status === 'active') known.lastSignInAt = new Date();
        return this.users.save(known);
      }
      const invited = await this.users.findByEmail(identity.email);
      if (invited && invited.googleSub === null && invited.status === 'invited') {
        Object.assign(invited, { googleSub: identity.sub, name: identity.name ?? invited.name, hostedDomain: identity.hostedDomain, status: 'active', lastSignInAt: new Date() });
        return this.users.save(invited);
      }
      if (invited) {
        // The address belongs to another Google account (a re-created user?): an admin must sort it out.
        throw new ApiError('forbidden', 'email-already-linked', 'This email address is linked to another Google account; ask an administrator.');
      }
      const bootstrap = this.config.BOOTSTRAP_ADMIN_EMAILS?.includes(identity.email) ?? false;
      const created = await this.users.insert({
        id: uuidv7(),
        googleSub: identity.sub,
        email: identity.email,
        name: identity.name,
        role: bootstrap ? 'admin' : null,
        status: bootstrap ? 'active' : 'pending',
        hostedDomain: identity.hostedDomain,
        lastSignInAt: bootstrap ? new Date() : null,
      });
      await this.audit.record({
        actorId: null,
        action: bootstrap ? 'user.bootstrap-admin' : 'user.registered-pending',
        targetType: 'user',
        targetId: created.id,
        after: userView(created, []),
      });
      return created;
    });
    if (user.status === 'pending') {
      throw new ApiError('forbidden', 'account-pending-approval', 'Your account is waiting for an administrator to approve it; you will be able to sign in once they have.');
    }
    if (user.status !== 'active' || !user.role) {
      throw new ApiError('forbidden', 'account-deactivated', 'Your PACE account has been deactivated; ask an administrator.');
    }
    return user;
  }

  async get(id: string): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('User', id);
    return userView(user, (await this.users.teamIdsOf([id])).get(id) ?? []);
  }

  async list(status: UserStatus | undefined, limit: number, cursor?: string): Promise<Page<UserView>> {
    const rows = await this.users.list(status, limit, cursor ? decodeId(cursor) : undefined);
    const items = rows.slice(0, limit);
    const teams = await this.users.teamIdsOf(items.map((u) => u.id));
    const last = items[items.length - 1];
    return {
      items: items.map((u) => userView(u, teams.get(u.id) ?? [])),
      nextCursor: rows.length > limit && last ? Buffer.from(last.id).toString('base64url') : null,
    };
  }

  async listTeams(): Promise<TeamView[]> {
    return (await this.users.listTeams()).map(teamView);
  }

  /**
   * A manager or admin may give an applicant to someone else: that person must be active and a
   * member of the record's team.
   */
  async assertAssignable(ownerId: string, teamId: string | undefined): Promise<void> {
    const owner = await this.users.findById(ownerId);
    if (!owner || owner.status !== 'active') throw new ApiError('invalid', 'owner-not-active', `User ${ownerId} is not an active user.`);
    if (!teamId) throw new ApiError('invalid', 'team-required', 'Name the team (teamId) when assigning an applicant to someone else.');
    if (!(await this.users.isMember(ownerId, teamId))) throw new ApiError('invalid', 'owner-not-in-team', `User ${ownerId} is not a member of team ${teamId}.`);
  }
}

function decodeId(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new ApiError('invalid', 'invalid-cursor', 'The cursor is not one this API returned.');
  return id;
}
