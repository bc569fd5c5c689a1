import { z } from 'zod';
import { ZodPipe, pageQuery, phoneNumber as phone } from '@pace/http';
import {
  ACTIONS,
  AMENITIES,
  MEDIA_KINDS,
  STATUSES,
  CATEGORIES,
  COMPLETION_STATUSES,
  EMIRATES,
  FURNISHINGS,
  PERMIT_TYPES,
  PORTALS,
  PROPERTY_TYPES,
  PURPOSES,
  RENT_FREQUENCIES,
} from './vocabulary';

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

export const transitionBody = z
  .object({ action: z.enum(ACTIONS), comment: z.string().trim().max(2000).optional(), version: z.number().int().min(1).optional() })
  .strict();
export type TransitionBody = z.infer<typeof transitionBody>;

/* What the API answers. */
const bilingualView = z.object({ en: z.string().nullable(), ar: z.string().nullable() });
const areaView = z.object({ value: z.number(), unit: z.literal('sqft') }).nullable().describe('Square feet (sent in sqm, stored converted).');
const priceView = z.object({ amountFils: z.number().int().describe('Integer fils: AED 2,500,000 is 250000000.'), currency: z.literal('AED') });
const locationView = z.object({ emirate: z.string(), community: z.string(), subCommunity: z.string().nullable(), building: z.string().nullable() });
const landlordView = z
  .object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable() })
  .nullable()
  .describe('Null with `landlordHidden: true` when the caller may see the listing but not its owner.');

export const mediaView = z.object({
  id: z.uuid(),
  kind: z.enum(MEDIA_KINDS),
  position: z.number().int(),
  caption: bilingualView,
  objectKey: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  width: z.number().int().nullable().describe('Pixels; null for a PDF floor plan.'),
  height: z.number().int().nullable(),
  url: z.string().describe('Where a browser or portal fetches it: a CDN/bucket URL, or the content route.'),
});
export type MediaView = z.infer<typeof mediaView>;

export const publicationView = z.object({
  portal: z.enum(PORTALS),
  desiredState: z.enum(['published', 'unpublished']).describe('What PACE wants on that portal.'),
  state: z.enum(['pending', 'publishing', 'live', 'rejected', 'unpublished', 'failed']),
  message: z.string().nullable().describe("The portal's (or the validator's) explanation, e.g. why it was rejected."),
  portalListingId: z.string().nullable(),
  changedAt: z.string(),
});
export type PublicationView = z.infer<typeof publicationView>;

export const listingView = z.object({
  id: z.uuid(),
  reference: z.string().describe('Human-readable and unique (ALS-S-001234); portals key listings by it.'),
  status: z.enum(STATUSES),
  purpose: z.enum(PURPOSES),
  rentFrequency: z.enum(RENT_FREQUENCIES).nullable(),
  category: z.enum(CATEGORIES),
  propertyType: z.enum(PROPERTY_TYPES),
  price: priceView.nullable(),
  bedrooms: z.number().int().nullable().describe('0 is a studio.'),
  bathrooms: z.number().int().nullable(),
  size: areaView,
  plotSize: areaView,
  location: locationView,
  title: bilingualView,
  description: bilingualView,
  amenities: z.array(z.string()),
  furnishing: z.enum(FURNISHINGS).nullable(),
  completionStatus: z.enum(COMPLETION_STATUSES),
  permit: z.object({ number: z.string(), type: z.string(), issueDate: z.string().nullable(), expiryDate: z.string().nullable() }).nullable(),
  landlord: landlordView,
  landlordHidden: z.boolean(),
  agentId: z.uuid(),
  teamId: z.uuid().nullable(),
  portals: z.array(z.enum(PORTALS)),
  publications: z.array(publicationView).describe('Where the listing stands on each portal it has been sent to, as syndication last reported it.'),
  media: z.array(mediaView),
  lastReview: z.object({ decision: z.string(), comment: z.string().nullable(), by: z.string(), at: z.string() }).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  statusChangedAt: z.string(),
  version: z.number().int().min(1).describe('Send it back as If-Match (or `version`) when changing the listing.'),
  allowedActions: z.array(z.enum(ACTIONS)).describe('Lifecycle actions the caller may take now.'),
});
export type ListingView = z.infer<typeof listingView>;

export const listingSummary = listingView
  .omit({ description: true, plotSize: true, permit: true, media: true, lastReview: true, createdBy: true, statusChangedAt: true, publications: true })
  .extend({
    permit: z.object({ number: z.string(), type: z.string().nullable(), expiryDate: z.string().nullable() }).nullable(),
    coverImageUrl: z.string().nullable(),
  });
export type ListingSummary = z.infer<typeof listingSummary>;

export const priceHistoryView = z.object({
  items: z.array(
    z.object({ price: priceView, purpose: z.enum(PURPOSES), rentFrequency: z.enum(RENT_FREQUENCIES).nullable(), changedAt: z.string(), changedBy: z.string() }),
  ),
});

export const noticeView = z.object({ id: z.uuid(), listingId: z.uuid(), kind: z.string(), message: z.string(), createdAt: z.string(), readAt: z.string().nullable() });
export type NoticeView = z.infer<typeof noticeView>;

export const noticesQuery = pageQuery.extend({ unread: z.enum(['true', 'false']).default('false').describe('true: only notices not yet read.') }).strict();
export type NoticesQuery = z.infer<typeof noticesQuery>;
