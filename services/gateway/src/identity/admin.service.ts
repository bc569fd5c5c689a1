import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { UserCaller } from '@pace/auth';
import { Db } from '@pace/database';
import { NotFoundError } from '@pace/http';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions.service';
import { ApiError } from '../common/errors';
import type { UserEntity } from './user.entity';
import type { ApproveUser, CreateTeam, InviteUser, TeamView, UpdateUser, UserView } from './users.dto';
import { UsersRepository } from './users.repository';
import { teamView, userView } from './users.service';

/**
 * What admins do to people and teams. Each change and its audit entry (before/after) commit in
 * one transaction; deactivation revokes every session in the same transaction, and since each
 * request re-reads the user's status, it takes effect on their very next request.
 */
@Injectable()
export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  private async checkTeams(teamIds: string[]): Promise<void> {
    const unique = [...new Set(teamIds)];
    if ((await this.users.countTeams(unique)) !== unique.length) {
      throw new ApiError('invalid', 'unknown-team', 'One of the teamIds is not a team; list them at GET /api/v1/admin/teams.');
    }
  }

  private async locked(id: string): Promise<{ user: UserEntity; before: UserView }> {
    const user = await this.users.findForUpdate(id);
    if (!user) throw new NotFoundError('User', id);
    return { user, before: userView(user, (await this.users.teamIdsOf([id])).get(id) ?? []) };
  }

  private notSelf(admin: UserCaller, id: string, what: string): void {
    if (admin.id === id) throw new ApiError('forbidden', 'not-on-yourself', `You cannot ${what} yourself; ask another admin.`);
  }

  invite(admin: UserCaller, input: InviteUser): Promise<UserView> {
    return this.db.transaction(async () => {
      await this.checkTeams(input.teamIds);
      if (await this.users.findByEmail(input.email)) throw new ApiError('conflict', 'user-exists', `A user with email ${input.email} already exists.`);
      const user = await this.users.insert({
        id: uuidv7(),
        googleSub: null,
        email: input.email,
        name: input.name ?? null,
        role: input.role,
        status: 'invited',
        hostedDomain: null,
        lastSignInAt: null,
      });
      await this.users.setTeams(user.id, [...new Set(input.teamIds)]);
      const after = userView(user, [...new Set(input.teamIds)]);
      await this.audit.record({ actorId: admin.id, action: 'user.invited', targetType: 'user', targetId: user.id, after });
      return after;
    });
  }

  approve(admin: UserCaller, id: string, input: ApproveUser): Promise<UserView> {
    return this.db.transaction(async () => {
      const { user, before } = await this.locked(id);
      if (user.status !== 'pending') throw new ApiError('conflict', 'user-not-pending', `User ${id} is ${user.status}, not pending approval.`);
      await this.checkTeams(input.teamIds);
      user.role = input.role;
      user.status = 'active';
      const saved = await this.users.save(user);
      await this.users.setTeams(id, [...new Set(input.teamIds)]);
      const after = userView(saved, [...new Set(input.teamIds)]);
      await this.audit.record({ actorId: admin.id, action: 'user.approved', targetType: 'user', targetId: id, before, after });
      return after;
    });
  }

  update(admin: UserCaller, id: string, input: UpdateUser): Promise<UserView> {
    return this.db.transaction(async () => {
      if (input.role !== undefined) this.notSelf(admin, id, 'change the role of');
      const { user, before } = await this.locked(id);
      if (input.teamIds) await this.checkTeams(input.teamIds);
      if (input.role !== undefined) user.role = input.role;
      const saved = await this.users.save(user);
      if (input.teamIds) await this.users.setTeams(id, [...new Set(input.teamIds)]);
      const after = userView(saved, input.teamIds ? [...new Set(input.teamIds)] : before.teamIds);
      await this.audit.record({ actorId: admin.id, action: 'user.updated', targetType: 'user', targetId: id, before, after });
      return after;
    });
  }

  deactivate(admin: UserCaller, id: string): Promise<UserView> {
    this.notSelf(admin, id, 'deactivate');
    return this.db.transaction(async () => {
      const { user, before } = await this.locked(id);
      user.status = 'deactivated';
      const saved = await this.users.save(user);
      const revoked = await this.sessions.revokeAllOfUser(id, 'deactivated');
      const after = userView(saved, before.teamIds);
      await this.audit.record({ actorId: admin.id, action: 'user.deactivated', targetType: 'user', targetId: id, before, after: { ...after, sessionsRevoked: revoked } });
      return after;
    });
  }

  reactivate(admin: UserCaller, id: string): Promise<UserView> {
    return this.db.transaction(async () => {
      const { user, before } = await this.locked(id);
      if (user.status !== 'deactivated') throw new ApiError('conflict', 'user-not-deactivated', `User ${id} is ${user.status}, not deactivated.`);
      user.status = user.googleSub ? 'active' : 'invited';
      const saved = await this.users.save(user);
      const after = userView(saved, before.teamIds);
      await this.audit.record({ actorId: admin.id, action: 'user.reactivated', targetType: 'user', targetId: id, before, after });
      return after;
    });
  }

  revokeSessions(admin: UserCaller, id: string): Promise<number> {
    return this.db.transaction(async () => {
      await this.locked(id);
      const revoked = await this.sessions.revokeAllOfUser(id, 'admin');
      await this.audit.record({ actorId: admin.id, action: 'user.sessions-revoked', targetType: 'user', targetId: id, after: { sessionsRevoked: revoked } });
      return revoked;
    });
  }

  revokeSession(admin: UserCaller, sessionId: string): Promise<void> {
    return this.db.transaction(async () => {
      const session = await this.sessions.findById(sessionId);
      if (!session) throw new NotFoundError('Session', sessionId);
      const revoked = await this.sessions.revoke(sessionId, 'admin');
      await this.audit.record({
        actorId: admin.id,
        action: 'session.revoked',
        targetType: 'session',
        targetId: sessionId,
        before: { userId: session.userId, revokedAt: session.revokedAt?.toISOString() ?? null },
        after: { userId: session.userId, revoked },
      });
    });
  }

  createTeam(admin: UserCaller, input: CreateTeam): Promise<TeamView> {
    return this.db.transaction(async () => {
      if (await this.users.findTeamByName(input.name)) throw new ApiError('conflict', 'team-exists', `A team named "${input.name}" already exists.`);
      const team = teamView(await this.users.insertTeam({ id: uuidv7(), name: input.name }));
      await this.audit.record({ actorId: admin.id, action: 'team.created', targetType: 'team', targetId: team.id, after: team });
      return team;
    });
  }
}
