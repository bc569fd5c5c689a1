import fc from 'fast-check';
import type { Caller } from '../common/caller';
import { STATUSES, type ListingStatus } from '@pace/listings-api';
import { ACTIONS, type ListingForLifecycle, TRANSITIONS, allowedActions, decide } from './lifecycle';

const AGENT = '0190a6b2-0000-7000-8000-000000000001';
const OTHER_AGENT = '0190a6b2-0000-7000-8000-000000000002';
const MANAGER = '0190a6b2-0000-7000-8000-000000000003';
const TEAM = '0190a6b2-0000-7000-8000-0000000000a1';
const OTHER_TEAM = '0190a6b2-0000-7000-8000-0000000000a2';

const agent: Caller = { userId: AGENT, role: 'agent', teamIds: [TEAM] };
const otherAgent: Caller = { userId: OTHER_AGENT, role: 'agent', teamIds: [TEAM] };
const manager: Caller = { userId: MANAGER, role: 'manager', teamIds: [TEAM] };
const otherManager: Caller = { userId: MANAGER, role: 'manager', teamIds: [OTHER_TEAM] };
const admin: Caller = { userId: '0190a6b2-0000-7000-8000-000000000009', role: 'admin', teamIds: [] };

const listing = (status: ListingStatus, purpose: 'sale' | 'rent' = 'sale'): ListingForLifecycle => ({ status, purpose, agentId: AGENT, teamId: TEAM });

describe('listing lifecycle', () => {
  it('walks the happy path of a sale: draft → … → sold', () => {
    const path: [string, Caller, ListingStatus][] = [
      ['submit', agent, 'pending_approval'],
      ['approve', manager, 'approved'],
      ['publish', agent, 'published'],
      ['mark_under_offer', agent, 'under_offer'],
      ['mark_sold', agent, 'sold'],
    ];
    let status: ListingStatus = 'draft';
    for (const [action, caller, to] of path) {
      const d = decide(listing(status), action as never, caller);
      expect(d).toMatchObject({ ok: true, transition: { to } });
      status = to;
    }
  });

  it('lets a rental end rented but not sold, and a sale end sold but not rented', () => {
    expect(decide(listing('under_offer', 'rent'), 'mark_rented', agent)).toMatchObject({ ok: true, transition: { to: 'rented' } });
    expect(decide(listing('under_offer', 'rent'), 'mark_sold', agent)).toMatchObject({ ok: false, reason: 'wrong-purpose' });
    expect(decide(listing('under_offer', 'sale'), 'mark_rented', agent)).toMatchObject({ ok: false, reason: 'wrong-purpose' });
  });

  it('lets only a Manager of the team or an Admin approve or reject, never the listing’s own agent', () => {
    const pending = listing('pending_approval');
    expect(decide(pending, 'approve', agent)).toMatchObject({ ok: false, reason: 'not-permitted' });
    expect(decide(pending, 'approve', otherManager)).toMatchObject({ ok: false, reason: 'not-permitted' });
    expect(decide(pending, 'approve', manager).ok).toBe(true);
    expect(decide(pending, 'approve', admin).ok).toBe(true);
    const managersOwn = { ...pending, agentId: MANAGER };
    expect(decide(managersOwn, 'approve', manager)).toMatchObject({ ok: false, reason: 'not-permitted' });
  });

  it('needs a comment to reject, and sends the listing back to draft', () => {
    expect(decide(listing('pending_approval'), 'reject', manager, '  ')).toMatchObject({ ok: false, reason: 'comment-required' });
    expect(decide(listing('pending_approval'), 'reject', manager, 'Photos are dark')).toMatchObject({ ok: true, transition: { to: 'draft' } });
  });

  it('keeps another agent of the same team out of someone else’s listing', () => {
    expect(decide(listing('draft'), 'submit', otherAgent)).toMatchObject({ ok: false, reason: 'not-permitted' });
  });

  it('reserves expiry for the service itself', () => {
    expect(decide(listing('published'), 'expire', admin)).toMatchObject({ ok: false, reason: 'not-permitted' });
    expect(decide(listing('published'), 'expire', 'system')).toMatchObject({ ok: true, transition: { to: 'expired' } });
  });

  it('marks which moves need the permit and portal checks', () => {
    const checked = TRANSITIONS.filter((t) => t.needsPublishable).map((t) => t.action);
    expect(checked.sort()).toEqual(['approve', 'publish', 'reopen']);
    // Every way into "published" is checked.
    expect(TRANSITIONS.filter((t) => t.to === 'published').every((t) => t.needsPublishable)).toBe(true);
  });

  it('never moves a sold or rented listing again, and only relists withdrawn or expired ones to draft', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), fc.constantFrom<Caller | 'system'>(agent, manager, admin, 'system'), (action, caller) => {
        for (const status of ['sold', 'rented'] as const) expect(decide(listing(status), action, caller, 'c').ok).toBe(false);
        for (const status of ['withdrawn', 'expired'] as const) {
          const d = decide(listing(status), action, caller, 'c');
          if (d.ok) expect(d.transition).toMatchObject({ action: 'relist', to: 'draft' });
        }
      }),
    );
  });

  it('reaches every status from draft', () => {
    const seen = new Set<ListingStatus>(['draft']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of TRANSITIONS) {
        if (t.from.some((f) => seen.has(f)) && !seen.has(t.to)) {
          seen.add(t.to);
          grew = true;
        }
      }
    }
    expect([...seen].sort()).toEqual([...STATUSES].sort());
  });

  it('offers the caller exactly the moves decide() accepts', () => {
    expect(allowedActions(listing('pending_approval'), agent)).toEqual(['withdraw']);
    expect(allowedActions(listing('pending_approval'), manager)).toEqual(['approve', 'reject', 'withdraw']);
    expect(allowedActions(listing('published'), agent)).toEqual(['unpublish', 'mark_under_offer', 'withdraw']);
    expect(allowedActions(listing('published'), otherAgent)).toEqual([]);
  });

  it('offers, for every status, purpose and caller, exactly the moves decide() accepts', () => {
    const machine: Caller = { userId: '0190a6b2-0000-7000-8000-00000000000a', role: 'service', teamIds: [] };
    const unteamed = (status: ListingStatus, purpose: 'sale' | 'rent'): ListingForLifecycle => ({ ...listing(status, purpose), teamId: null });
    for (const status of STATUSES) {
      for (const purpose of ['sale', 'rent'] as const) {
        for (const l of [listing(status, purpose), unteamed(status, purpose)]) {
          for (const caller of [agent, otherAgent, manager, otherManager, admin, machine]) {
            expect(allowedActions(l, caller)).toEqual(ACTIONS.filter((action) => decide(l, action, caller, 'a comment').ok));
          }
        }
      }
    }
  });
});
