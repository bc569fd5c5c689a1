import { z } from 'zod';
import { ZodPipe, phoneNumber as phone } from '@pace/http';
import {
  AMENITIES,
  CATEGORIES,
  COMPLETION_STATUSES,
  EMIRATES,
  FURNISHINGS,
  PERMIT_TYPES,
  PORTALS,
  PROPERTY_TYPES,
  PURPOSES,
  RENT_FREQUENCIES,
} from './listing.model';

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => (v ? v : null));
const isoDate = z.iso.date('must be a date, YYYY-MM-DD');

/** 1 sqm = 10.7639 sqft; everything is stored in square feet. */
const SQFT_PER_SQM = 10.7639;
const area = z
  .object({ value: z.number().positive().max(100_000_000), unit: z.enum(['sqft', 'sqm']).default('sqft') })
  .strict()
  .transform((a) => Math.round((a.unit === 'sqm' ? a.value * SQFT_PER_SQM : a.value) * 100) / 100);

const price = z
  .object({
    /** Integer fils: AED 2,500,000 is 250000000. */
    amountFils: z.number().int().positive().max(1e15),
    currency: z.literal('AED').default('AED'),
  })
  .strict();

const location = z
  .object({
    emirate: z.enum(EMIRATES),
    community: text(120).min(1, 'is required'),
    subCommunity: optionalText(120),
    building: optionalText(120),
  })
  .strict();

const bilingual = (max: number) => z.object({ en: optionalText(max), ar: optionalText(max) }).strict();

const permit = z
  .object({
    number: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,32}$/, 'must be 4–32 letters, digits or dashes'),
    type: z.enum(PERMIT_TYPES),
    issueDate: isoDate,
    expiryDate: isoDate,
  })
  .strict()
  .refine((p) => p.issueDate <= p.expiryDate, { message: 'expires before it is issued', path: ['expiryDate'] });

const landlord = z
  .object({
    name: text(200).min(1, 'is required'),
    phone: phone.nullish().transform((v) => v ?? null),
    email: z.email().trim().toLowerCase().max(254).nullish().transform((v) => v ?? null),
  })
  .strict()
  .refine((l) => l.phone || l.email, { message: 'give a phone or an email', path: ['phone'] });

/** Every editable field; creation needs only what identifies the property, the rest may follow in draft. */
const fields = {
  purpose: z.enum(PURPOSES),
  rentFrequency: z.enum(RENT_FREQUENCIES).nullish(),
  category: z.enum(CATEGORIES),
  propertyType: z.enum(PROPERTY_TYPES),
  price: price.nullish(),
  bedrooms: z.number().int().min(0).max(30).nullish(),
  bathrooms: z.number().int().min(0).max(20).nullish(),
  size: area.nullish(),
  plotSize: area.nullish(),
  location,
  title: bilingual(200),
  description: bilingual(10_000),
  amenities: z.array(z.enum(AMENITIES)).max(40),
  furnishing: z.enum(FURNISHINGS).nullish(),
  completionStatus: z.enum(COMPLETION_STATUSES),
  permit: permit.nullish(),
  landlord: landlord.nullish(),
  agentId: z.uuid(),
  teamId: z.uuid().nullish(),
  portals: z.array(z.enum(PORTALS)).max(PORTALS.length),
};

export const createListingBody = z
  .object({
    ...fields,
    category: fields.category.default('residential'),
    title: fields.title.default({ en: null, ar: null }),
    description: fields.description.default({ en: null, ar: null }),
    amenities: fields.amenities.default([]),
    completionStatus: fields.completionStatus.default('ready'),
    portals: fields.portals.default([]),
    agentId: fields.agentId.optional(),
  })
  .strict();
export type CreateListing = z.infer<typeof createListingBody>;

export const updateListingBody = z
  .object({
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])),
    version: z.number().int().min(1).optional(),
  } as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> } & { version: z.ZodOptional<z.ZodNumber> })
  .strict();
export type UpdateListing = z.infer<typeof updateListingBody>;

export const listingId = z.uuid('must be a listing id (UUID)');

/** `If-Match: "3"` (or W/"3"), as sent back from an ETag. */
export const ifMatch = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    const m = /^(?:W\/)?"?(\d+)"?$/.exec(v.trim());
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'If-Match must be the listing version, e.g. "3"' });
      return z.NEVER;
    }
    return Number(m[1]);
  });

/** Parses an If-Match header into a version (400 problem when malformed). */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  return new ZodPipe(ifMatch).transform(header);
}

export interface ListingView {
  id: string;
  reference: string;
  status: string;
  purpose: string;
  rentFrequency: string | null;
  category: string;
  propertyType: string;
  price: { amountFils: number; currency: 'AED' } | null;
  bedrooms: number | null;
  bathrooms: number | null;
  size: { value: number; unit: 'sqft' } | null;
  plotSize: { value: number; unit: 'sqft' } | null;
  location: { emirate: string; community: string; subCommunity: string | null; building: string | null };
  title: { en: string | null; ar: string | null };
  description: { en: string | null; ar: string | null };
  amenities: string[];
  furnishing: string | null;
  completionStatus: string;
  permit: { number: string; type: string; issueDate: string | null; expiryDate: string | null } | null;
  /** Null with `landlordHidden: true` when the caller may see the listing but not its owner. */
  landlord: { name: string; phone: string | null; email: string | null } | null;
  landlordHidden: boolean;
  agentId: string;
  teamId: string | null;
  portals: string[];
  media: MediaView[];
  lastReview: { decision: string; comment: string | null; by: string; at: string } | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  statusChangedAt: string;
  version: number;
  /** Lifecycle actions the caller may take now. */
  allowedActions: string[];
}

export interface MediaView {
  id: string;
  kind: string;
  position: number;
  caption: { en: string | null; ar: string | null };
  objectKey: string;
  contentType: string;
  sizeBytes: number;
  /** Where a browser or portal fetches it: a CDN/bucket URL, or this service's content route. */
  url: string;
}
