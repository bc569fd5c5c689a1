import { z } from 'zod';
import { ROLES } from '@pace/auth';
import { pageQuery } from '@pace/http';
import { pageOf, requestSchema, responseSchema } from '../api/registry';
import { USER_STATUSES } from './user.entity';

const role = z.enum(ROLES).describe('agent: own records; manager: their teams\' records; admin: everything, and the admin API.');
const teamIds = z.array(z.uuid()).max(20).describe('Teams the person belongs to (agents) or leads (managers).');

export const userView = responseSchema(
  'User',
  'A person who signs in with Google. Keyed by Google\'s stable subject id once they have signed in.',
  z.object({
    id: z.uuid(),
    email: z.email(),
    name: z.string().nullable(),
    role: role.nullable().describe('Null while pending approval.'),
    status: z.enum(USER_STATUSES).describe('invited: not signed in yet; pending: awaits an admin; active; deactivated: cannot sign in.'),
    teamIds,
    lastSignInAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    version: z.number().int(),
  }),
  { name: 'User', tag: 'admin' },
);
export type UserView = z.infer<typeof userView>;
export const userPage = pageOf('UserPage', userView, 'users');

export const userListQuery = pageQuery.extend({ status: z.enum(USER_STATUSES).optional() });
export type UserListQuery = z.infer<typeof userListQuery>;

export const inviteUserBody = requestSchema(
  'UserInvitation',
  'Invite a person by their company email; they become active at their first Google sign-in.',
  z.object({ email: z.email().trim().toLowerCase().max(254), name: z.string().trim().min(1).max(200).optional(), role, teamIds: teamIds.default([]) }).strict(),
);
export type InviteUser = z.infer<typeof inviteUserBody>;

export const approveUserBody = requestSchema(
  'UserApproval',
  'Let a pending person in, with a role and teams.',
  z.object({ role, teamIds: teamIds.default([]) }).strict(),
);
export type ApproveUser = z.infer<typeof approveUserBody>;

export const updateUserBody = requestSchema(
  'UserChange',
  'Change a person\'s role and/or teams; takes effect on their next request.',
  z
    .object({ role: role.optional(), teamIds: teamIds.optional() })
    .strict()
    .refine((b) => b.role !== undefined || b.teamIds !== undefined, { message: 'give role and/or teamIds', path: ['(body)'] }),
);
export type UpdateUser = z.infer<typeof updateUserBody>;

export const teamView = responseSchema(
  'Team',
  'A team of agents, led by one or more managers.',
  z.object({ id: z.uuid(), name: z.string(), createdAt: z.iso.datetime() }),
  { name: 'Team', tag: 'admin' },
);
export type TeamView = z.infer<typeof teamView>;
export const teamList = responseSchema('TeamList', 'Every team.', z.object({ items: z.array(teamView) }));

export const createTeamBody = requestSchema('TeamCreation', 'A new team.', z.object({ name: z.string().trim().min(1).max(100) }).strict());
export type CreateTeam = z.infer<typeof createTeamBody>;

export const userId = z.uuid('must be a user id (UUID)');
