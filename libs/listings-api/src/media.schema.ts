import { z } from 'zod';
import { MEDIA_KINDS } from './vocabulary';

const caption = z.string().trim().max(300).optional();

export const uploadQuery = z
  .object({
    kind: z.enum(MEDIA_KINDS).default('image'),
    captionEn: caption,
    captionAr: caption,
    version: z.coerce.number().int().min(1).optional(),
  })
  .strict();
export type UploadQuery = z.infer<typeof uploadQuery>;

export const captionBody = z
  .object({ caption: z.object({ en: z.string().trim().max(300).nullable(), ar: z.string().trim().max(300).nullable() }).partial(), version: z.number().int().min(1).optional() })
  .strict();
export type CaptionBody = z.infer<typeof captionBody>;

export const orderBody = z
  .object({ kind: z.enum(MEDIA_KINDS), ids: z.array(z.uuid()).min(1).max(100), version: z.number().int().min(1).optional() })
  .strict()
  .refine((b) => new Set(b.ids).size === b.ids.length, { message: 'lists an item twice', path: ['ids'] });
export type OrderBody = z.infer<typeof orderBody>;

