import { z } from 'zod';

/** The list convention for every collection: `?limit=` (1–200, default 50) and an opaque `?cursor=`. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(512).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;
