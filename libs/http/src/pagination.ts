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
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().min(1).max(512).optional(),
});
export type SyncQuery = z.infer<typeof syncQuery>;
