import type { z } from 'zod';
import { syncChangeOf, syncPageOf } from '@pace/http';
import { listingView } from './listing.schema';

/** One change of the listings feed (`GET /sync/listings`): the listing as it is now, or its tombstone. */
export const listingSyncChange = syncChangeOf(listingView);
export type ListingSyncChange = z.infer<typeof listingSyncChange>;
export const listingSyncPage = syncPageOf(listingSyncChange);
export type ListingSyncPage = z.infer<typeof listingSyncPage>;
