import { z } from 'zod';

/** The list convention for every collection: `?limit=` (1–200, default 50) and an opaque `?cursor=`. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(512).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

/**
 * The change feeds (`/api/v1/sync/*`): bigger pages than lists (`?limit=` 1–1000, default 200) and
 * an opaque `?cursor=`; no cursor starts from the beginning.
 */
export const syncQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200).describe('Changes per page (1–1000).'),
  cursor: z.string().min(1).max(512).optional().describe('`next` of the previous page; leave out to start from the beginning.'),
});
export type SyncQuery = z.infer<typeof syncQuery>;

/** A record that is gone from a feed: deleted, or merged into another (follow `mergedInto`). */
export const syncTombstone = z.object({
  id: z.uuid(),
  deleted: z.literal(true),
  kind: z.enum(['deleted', 'merged']).describe('`merged`: folded into `mergedInto`, whose own change the feed carries; `deleted`: removed.'),
  mergedInto: z.uuid().nullable().describe('The survivor of a merge; null when deleted.'),
  updatedAt: z.iso.datetime().describe('When it was removed or merged.'),
}).describe('A record that is gone: deleted, or merged into another.');

/** One change of a feed: the record as it is now (`deleted: false`), or its tombstone. */
export function syncChangeOf<T extends z.ZodType>(record: T) {
  return z.union([
    z.object({
      id: z.uuid(),
      deleted: z.literal(false),
      updatedAt: z.iso.datetime().describe('When the record last changed.'),
      record: record,
    }),
    syncTombstone,
  ]);
}

/** A page of a feed: `next` is always set (store it, call again with it); `hasMore: false` is caught up for now. */
export function syncPageOf<T extends z.ZodType>(change: T) {
  return z.object({
    items: z.array(change),
    next: z.string().describe('Where the next call starts; store it and send it as `cursor`, also after the last page.'),
    hasMore: z.boolean().describe('More changes are ready now; false: caught up for the moment (poll again later with `next`).'),
  });
}
