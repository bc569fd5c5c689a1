import { type Caller, ForbiddenError } from '@pace/auth';

export interface Ownership {
  ownerId: string | null;
  teamId: string | null;
}

/**
 * Who a new applicant belongs to. Agents create their own records in one of their teams;
 * managers may assign them within the teams they lead; admins anywhere. The gateway, which owns
 * users and teams, has already checked that a named owner is a member of the named team.
 */
export function assignOwnership(caller: Caller, requested: { ownerId?: string; teamId?: string }): Ownership {
  if (caller.kind === 'service') throw new ForbiddenError('applicant-create-forbidden', 'Machine principals cannot create applicants.');
  const teamId = requested.teamId ?? caller.teamIds[0] ?? null;
  const ownerId = requested.ownerId ?? caller.id;
  if (caller.role === 'admin') return { ownerId, teamId };
  if (teamId !== null && !caller.teamIds.includes(teamId)) {
    throw new ForbiddenError('team-not-yours', 'You can only create applicants in your own teams.');
  }
  if (caller.role === 'agent' && ownerId !== caller.id) {
    throw new ForbiddenError('owner-not-you', 'Agents can only create applicants they own; ask your manager to assign one.');
  }
  if (caller.role === 'manager' && ownerId !== caller.id && teamId === null) {
    throw new ForbiddenError('team-required', 'Name the team when assigning an applicant to someone else.');
  }
  return { ownerId, teamId };
}
