import type { Caller } from '../common/caller';
import { ACTIONS, type Action, type ListingStatus, type Purpose } from '@pace/listings-api';

/**
 * The listing lifecycle as data: every allowed move is one row. Nothing else in the service
 * decides whether a status may change.
 *
 *   draft → pending_approval → approved → published → under_offer → sold | rented
 *   (reject: pending_approval → draft; withdraw from any live status; expire: published → expired;
 *    relist: withdrawn | expired → draft; unpublish: published → approved; offer falls through:
 *    under_offer → published)
 */
export { ACTIONS, type Action };

/**
 * owner: the listing's agent, a Manager of its team, an Admin.
 * reviewer: a Manager of its team or an Admin, but never the listing's own agent (four eyes).
 * system: only the service itself (the permit sweep).
 */
export type Actor = 'owner' | 'reviewer' | 'system';

export interface Transition {
  action: Action;
  from: readonly ListingStatus[];
  to: ListingStatus;
  by: Actor;
  /** The listing must pass the permit and portal checks first. */
  needsPublishable?: boolean;
  /** Only for listings of this purpose. */
  purpose?: Purpose;
  commentRequired?: boolean;
}

export const TRANSITIONS: readonly Transition[] = [
  { action: 'submit', from: ['draft'], to: 'pending_approval', by: 'owner' },
  // "Approving for publishing": the reviewer vouches that it can go out, so the checks apply here too.
  { action: 'approve', from: ['pending_approval'], to: 'approved', by: 'reviewer', needsPublishable: true },
  { action: 'reject', from: ['pending_approval'], to: 'draft', by: 'reviewer', commentRequired: true },
  { action: 'publish', from: ['approved'], to: 'published', by: 'owner', needsPublishable: true },
  { action: 'unpublish', from: ['published'], to: 'approved', by: 'owner' },
  // Portals' "Available" rule (specs/portals.md §2.8, AAA): a unit under offer leaves the portals.
  { action: 'mark_under_offer', from: ['published'], to: 'under_offer', by: 'owner' },
  { action: 'reopen', from: ['under_offer'], to: 'published', by: 'owner', needsPublishable: true },
  { action: 'mark_sold', from: ['under_offer'], to: 'sold', by: 'owner', purpose: 'sale' },
  { action: 'mark_rented', from: ['under_offer'], to: 'rented', by: 'owner', purpose: 'rent' },
  { action: 'withdraw', from: ['draft', 'pending_approval', 'approved', 'published', 'under_offer'], to: 'withdrawn', by: 'owner' },
  { action: 'expire', from: ['published'], to: 'expired', by: 'system' },
  { action: 'relist', from: ['withdrawn', 'expired'], to: 'draft', by: 'owner' },
];

/** Statuses in which the listing is advertised on the portals it targets. */
export const ADVERTISED: readonly ListingStatus[] = ['published'];
/** Statuses in which the listing's content may still be edited. */
export const EDITABLE: readonly ListingStatus[] = ['draft', 'pending_approval', 'approved', 'published', 'under_offer'];

export interface ListingForLifecycle {
  status: ListingStatus;
  purpose: Purpose;
  agentId: string;
  teamId: string | null;
}

/** Whether `caller` may act as `actor` on this listing. */
export function actsAs(caller: Caller | 'system', actor: Actor, listing: ListingForLifecycle): boolean {
  if (caller === 'system') return actor === 'system';
  if (caller.role === 'service') return false;
  const leadsTeam = caller.role === 'manager' && listing.teamId !== null && caller.teamIds.includes(listing.teamId);
  switch (actor) {
    case 'system':
      return false;
    case 'owner':
      return caller.role === 'admin' || leadsTeam || listing.agentId === caller.userId;
    case 'reviewer':
      return (caller.role === 'admin' || leadsTeam) && listing.agentId !== caller.userId;
  }
}

export type Decision =
  | { ok: true; transition: Transition }
  | { ok: false; reason: 'unknown-move' | 'wrong-purpose' | 'not-permitted' | 'comment-required'; message: string };

/** The transitions of each action, by the status they leave: looked up, not filtered, per decision. */
const MOVES = new Map<Action, Map<ListingStatus, Transition[]>>();
for (const t of TRANSITIONS) {
  const byStatus = MOVES.get(t.action) ?? MOVES.set(t.action, new Map()).get(t.action)!;
  for (const from of t.from) byStatus.set(from, [...(byStatus.get(from) ?? []), t]);
}
const NONE: Transition[] = [];

type Check =
  | { ok: true; transition: Transition }
  | { ok: false; reason: 'unknown-move' }
  | { ok: false; reason: 'wrong-purpose'; candidates: Transition[] }
  | { ok: false; reason: 'not-permitted'; transition: Transition };

/**
 * The rule itself, without the messages: `decide` words a refusal, `allowedActions` (asked for
 * every action of every listing a search returns) only needs the yes or no.
 */
function check(listing: ListingForLifecycle, action: Action, caller: Caller | 'system'): Check {
  const candidates = MOVES.get(action)?.get(listing.status) ?? NONE;
  if (!candidates.length) return { ok: false, reason: 'unknown-move' };
  const transition = candidates.find((t) => !t.purpose || t.purpose === listing.purpose);
  if (!transition) return { ok: false, reason: 'wrong-purpose', candidates };
  if (!actsAs(caller, transition.by, listing)) return { ok: false, reason: 'not-permitted', transition };
  return { ok: true, transition };
}

/** Decides whether `action` may be applied to `listing` by `caller` (the publishability check is separate). */
export function decide(listing: ListingForLifecycle, action: Action, caller: Caller | 'system', comment?: string): Decision {
  const checked = check(listing, action, caller);
  if (!checked.ok) {
    if (checked.reason === 'unknown-move') return { ok: false, reason: 'unknown-move', message: `A listing in status "${listing.status}" cannot be sent "${action}".` };
    if (checked.reason === 'wrong-purpose') {
      return { ok: false, reason: 'wrong-purpose', message: `"${action}" applies only to ${checked.candidates[0].purpose} listings; this one is for ${listing.purpose}.` };
    }
    const who =
      checked.transition.by === 'reviewer'
        ? "a Manager of the listing's team or an Admin, other than the listing's agent"
        : checked.transition.by === 'system'
          ? 'the service itself'
          : "the listing's agent, a Manager of its team or an Admin";
    return { ok: false, reason: 'not-permitted', message: `Only ${who} may "${action}" this listing.` };
  }
  const { transition } = checked;
  if (transition.commentRequired && !comment?.trim()) {
    return { ok: false, reason: 'comment-required', message: `"${action}" needs a comment saying why.` };
  }
  return { ok: true, transition };
}

/** The actions `caller` could take now (for the UI's buttons); publishability is checked on the move. */
export function allowedActions(listing: ListingForLifecycle, caller: Caller): Action[] {
  return ACTIONS.filter((action) => check(listing, action, caller).ok);
}
