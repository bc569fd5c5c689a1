import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { AdminOnly, type UserCaller } from '@pace/auth';
import type { Page } from '@pace/database';
import { z } from 'zod';
import { Endpoint } from '../api/endpoint';
import { ZodBody, ZodParam, ZodQuery } from '../api/params';
import { responseSchema } from '../api/registry';
import { CurrentUser } from '../auth/request';
import { SessionsService } from '../auth/sessions.service';
import { AdminService } from './admin.service';
import {
  type ApproveUser,
  type CreateTeam,
  type InviteUser,
  type TeamView,
  type UpdateUser,
  type UserListQuery,
  type UserView,
  approveUserBody,
  createTeamBody,
  inviteUserBody,
  teamList,
  teamView,
  updateUserBody,
  userId,
  userListQuery,
  userPage,
  userView,
} from './users.dto';
import { UsersService } from './users.service';

const sessionView = responseSchema(
  'Session',
  'A live browser session of a user.',
  z.object({ id: z.uuid(), createdAt: z.iso.datetime(), lastSeenAt: z.iso.datetime(), absoluteExpiresAt: z.iso.datetime(), userAgent: z.string().nullable() }),
);
const sessionList = responseSchema('SessionList', 'Live sessions, newest first.', z.object({ items: z.array(sessionView) }));
const revokedCount = responseSchema('RevokedSessions', 'How many sessions were ended.', z.object({ revoked: z.number().int() }));
const sessionId = z.uuid('must be a session id (UUID)');

/** INTF-USER-02: people, teams and sessions. Every change is in the audit log. */
@Controller('api/v1/admin')
@AdminOnly()
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  @Get('users')
  @Endpoint({ tag: 'admin', summary: 'List users', description: 'Filter by `status` (e.g. `pending` for people awaiting approval).', response: userPage, errors: [400, 401, 403] })
  list(@ZodQuery(userListQuery) query: UserListQuery): Promise<Page<UserView>> {
    return this.users.list(query.status, query.limit, query.cursor);
  }

  @Post('users')
  @HttpCode(201)
  @Endpoint({ tag: 'admin', summary: 'Invite a user', status: 201, response: userView, errors: [400, 401, 403, 409] })
  invite(@CurrentUser() admin: UserCaller, @ZodBody(inviteUserBody) body: InviteUser): Promise<UserView> {
    return this.admin.invite(admin, body);
  }

  @Get('users/:id')
  @Endpoint({ tag: 'admin', summary: 'Read a user', response: userView, errors: [400, 401, 403, 404] })
  get(@ZodParam('id', userId) id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Post('users/:id/approve')
  @HttpCode(200)
  @Endpoint({ tag: 'admin', summary: 'Approve a pending user', response: userView, errors: [400, 401, 403, 404, 409] })
  approve(@CurrentUser() admin: UserCaller, @ZodParam('id', userId) id: string, @ZodBody(approveUserBody) body: ApproveUser): Promise<UserView> {
    return this.admin.approve(admin, id, body);
  }

  @Patch('users/:id')
  @Endpoint({ tag: 'admin', summary: 'Change role and teams', response: userView, errors: [400, 401, 403, 404] })
  update(@CurrentUser() admin: UserCaller, @ZodParam('id', userId) id: string, @ZodBody(updateUserBody) body: UpdateUser): Promise<UserView> {
    return this.admin.update(admin, id, body);
  }

  @Post('users/:id/deactivate')
  @HttpCode(200)
  @Endpoint({ tag: 'admin', summary: 'Deactivate a user', description: 'Ends every session of the user at once; they cannot sign in again until reactivated.', response: userView, errors: [400, 401, 403, 404] })
  deactivate(@CurrentUser() admin: UserCaller, @ZodParam('id', userId) id: string): Promise<UserView> {
    return this.admin.deactivate(admin, id);
  }

  @Post('users/:id/reactivate')
  @HttpCode(200)
  @Endpoint({ tag: 'admin', summary: 'Reactivate a user', response: userView, errors: [400, 401, 403, 404, 409] })
  reactivate(@CurrentUser() admin: UserCaller, @ZodParam('id', userId) id: string): Promise<UserView> {
    return this.admin.reactivate(admin, id);
  }

  @Get('users/:id/sessions')
  @Endpoint({ tag: 'admin', summary: 'List a user\'s live sessions', response: sessionList, errors: [400, 401, 403] })
  async listSessions(@ZodParam('id', userId) id: string): Promise<z.infer<typeof sessionList>> {
    const sessions = await this.sessions.listLive(id);
    return {
      items: sessions.map((s) => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        absoluteExpiresAt: s.absoluteExpiresAt.toISOString(),
        userAgent: s.userAgent,
      })),
    };
  }

  @Delete('users/:id/sessions')
  @Endpoint({ tag: 'admin', summary: 'End every session of a user', response: revokedCount, errors: [400, 401, 403, 404] })
  async revokeSessions(@CurrentUser() admin: UserCaller, @ZodParam('id', userId) id: string): Promise<{ revoked: number }> {
    return { revoked: await this.admin.revokeSessions(admin, id) };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @Endpoint({ tag: 'admin', summary: 'End one session', status: 204, responseDescription: 'Ended.', errors: [400, 401, 403, 404] })
  revokeSession(@CurrentUser() admin: UserCaller, @ZodParam('id', sessionId) id: string): Promise<void> {
    return this.admin.revokeSession(admin, id);
  }

  @Get('teams')
  @Endpoint({ tag: 'admin', summary: 'List teams', response: teamList, errors: [401, 403] })
  async teams(): Promise<{ items: TeamView[] }> {
    return { items: await this.users.listTeams() };
  }

  @Post('teams')
  @HttpCode(201)
  @Endpoint({ tag: 'admin', summary: 'Create a team', status: 201, response: teamView, errors: [400, 401, 403, 409] })
  createTeam(@CurrentUser() admin: UserCaller, @ZodBody(createTeamBody) body: CreateTeam): Promise<TeamView> {
    return this.admin.createTeam(admin, body);
  }
}
