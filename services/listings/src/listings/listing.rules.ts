import type { Caller } from '../common/caller';
import { ForbiddenError } from '@pace/auth';
import { InvalidListingError } from '../common/errors';
import type { ListingEntity } from './listing.entity';
import { TYPES_BY_CATEGORY } from '@pace/listings-api';

/** Rules a listing must satisfy after every write, whatever its status. */
export function checkConsistency(l: Pick<ListingEntity, 'purpose' | 'rentFrequency' | 'category' | 'propertyType'>): void {
  const errors: { field: string; message: string }[] = [];
  if (l.purpose === 'rent' && !l.rentFrequency) errors.push({ field: 'rentFrequency', message: 'is required for a rental (yearly, monthly, weekly or daily)' });
  if (l.purpose === 'sale' && l.rentFrequency) errors.push({ field: 'rentFrequency', message: 'applies only to rentals' });
  if (!TYPES_BY_CATEGORY[l.category].includes(l.propertyType)) {
    errors.push({ field: 'propertyType', message: `"${l.propertyType}" is not a ${l.category} property type` });
  }
  if (errors.length) throw new InvalidListingError(errors);
}

/**
 * Who may put a listing in whose hands: an Agent only in their own and one of their teams; a
 * Manager in one of the teams they lead (to any agent: team membership is the gateway's to
 * check); an Admin anywhere.
 */
export function checkAssignment(caller: Caller, agentId: string, teamId: string | null): void {
  if (caller.role === 'admin') return;
  if (caller.role === 'agent' && agentId !== caller.userId) {
    throw new ForbiddenError('assignment-not-allowed', 'An Agent may only hold listings themselves; ask a Manager to assign it to someone else.');
  }
  if (teamId === null || !caller.teamIds.includes(teamId)) {
    throw new ForbiddenError('assignment-not-allowed', 'The listing must belong to one of your teams.');
  }
}
