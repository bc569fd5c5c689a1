import type { Caller } from '../common/caller';
import type { ListingStatus } from '@pace/listings-api';

/**
 * Two levels of sight:
 * - full (the listing, its landlord contact, its history; and the right to change it):
 *   an Agent their own listings, a Manager their teams' (and their own), an Admin all;
 * - stock: every Agent, Manager and Admin may read a listing that is advertised (published),
 *   as anyone could on the portals, but without its landlord contact.
 * Machines with the `listings:read` scope read every listing, never the landlord contact.
 */
export function readsAll(caller: Caller): boolean {
  return caller.role === 'admin' || caller.role === 'service';
}

export function seesFully(caller: Caller, listing: { agentId: string; teamId: string | null }): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role === 'service') return false;
  if (listing.agentId === caller.userId) return true;
  return caller.role === 'manager' && listing.teamId !== null && caller.teamIds.includes(listing.teamId);
}

export const STOCK_STATUSES: readonly ListingStatus[] = ['published'];

export function seesAsStock(listing: { status: ListingStatus }): boolean {
  return STOCK_STATUSES.includes(listing.status);
}
