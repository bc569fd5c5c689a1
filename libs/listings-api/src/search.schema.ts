import { z } from 'zod';
import { pageQuery } from '@pace/http';
import { CATEGORIES, EMIRATES, PORTALS, PROPERTY_TYPES, PURPOSES, STATUSES } from './vocabulary';

const list = <T extends [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1).max(values.length));

const fils = z.coerce.number().int().min(0).max(1e15);

export const SORTS = ['newest', 'updated', 'price_asc', 'price_desc', 'relevance'] as const;
export type Sort = (typeof SORTS)[number];

/** The search's parameters as such (what a client may send); `searchQuery` adds the rules between them. */
export const searchFilters = pageQuery
  .extend({
    /** Free text over titles, descriptions (English and Arabic), reference and location names. */
    q: z.string().trim().min(1).max(200).optional(),
    purpose: z.enum(PURPOSES).optional(),
    category: z.enum(CATEGORIES).optional(),
    propertyType: list([...PROPERTY_TYPES]).optional(),
    status: list([...STATUSES]).optional(),
    emirate: z.enum(EMIRATES).optional(),
    community: z.string().trim().min(1).max(120).optional(),
    minPrice: fils.optional(),
    maxPrice: fils.optional(),
    minBeds: z.coerce.number().int().min(0).max(30).optional(),
    maxBeds: z.coerce.number().int().min(0).max(30).optional(),
    agentId: z.uuid().optional(),
    teamId: z.uuid().optional(),
    portal: z.enum(PORTALS).optional(),
    /** mine: what the caller sees fully (default); stock: also everyone's published listings. */
    scope: z.enum(['mine', 'stock']).default('mine'),
    sort: z.enum(SORTS).optional(),
  })
  .strict();

export const searchQuery = searchFilters
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, { message: 'is above maxPrice', path: ['minPrice'] })
  .refine((q) => q.minBeds === undefined || q.maxBeds === undefined || q.minBeds <= q.maxBeds, { message: 'is above maxBeds', path: ['minBeds'] })
  .refine((q) => q.sort !== 'relevance' || q.q !== undefined, { message: 'relevance needs a search text (q)', path: ['sort'] })
  // Text searches rank by relevance unless told otherwise.
  .transform((q) => ({ ...q, sort: q.sort ?? (q.q ? 'relevance' : 'newest') }) as typeof q & { sort: Sort });
export type SearchQuery = z.infer<typeof searchQuery>;
