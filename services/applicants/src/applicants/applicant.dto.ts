import { z } from 'zod';
import { pageQuery, phoneNumber, toE164 } from '@pace/http';
import { FURNISHINGS, INTENTS, LEAD_SOURCES, PROPERTY_TYPES, SOURCES, STATUSES } from './applicant.model';

const name = z.string().trim().min(1, 'is required').max(100);
const email = z.email().trim().toLowerCase().max(254);
const tag = z.string().trim().toLowerCase().min(1).max(40).regex(/^[\p{L}\p{N} _-]+$/u, 'letters, digits, spaces, _ and - only');
const language = z.string().trim().toLowerCase().regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code such as en or ar');
const country = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as AE');
const fils = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const bedrooms = z.number().int().min(0).max(20);
const uniq = <T>(xs: T[]) => [...new Set(xs)];

export const requirementsInput = z
  .object({
    intent: z.enum(INTENTS).nullable().default(null),
    propertyTypes: z.array(z.enum(PROPERTY_TYPES)).max(10).default([]).transform(uniq),
    bedroomsMin: bedrooms.nullable().default(null),
    bedroomsMax: bedrooms.nullable().default(null),
    budgetMinFils: fils.nullable().default(null),
    budgetMaxFils: fils.nullable().default(null),
    communities: z.array(z.string().trim().min(1).max(100)).max(20).default([]).transform(uniq),
    furnishing: z.enum(FURNISHINGS).nullable().default(null),
    moveInDate: z.iso.date('must be a date (YYYY-MM-DD)').nullable().default(null),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.bedroomsMin !== null && r.bedroomsMax !== null && r.bedroomsMin > r.bedroomsMax) ctx.addIssue({ code: 'custom', message: 'must not exceed bedroomsMax', path: ['bedroomsMin'] });
    if (r.budgetMinFils !== null && r.budgetMaxFils !== null && r.budgetMinFils > r.budgetMaxFils) ctx.addIssue({ code: 'custom', message: 'must not exceed budgetMaxFils', path: ['budgetMinFils'] });
  });
export type Requirements = z.infer<typeof requirementsInput>;
export const NO_REQUIREMENTS: Requirements = requirementsInput.parse({});

export const createApplicantBody = z
  .object({
    firstName: name,
    lastName: name,
    phones: z.array(phoneNumber).max(5).default([]),
    emails: z.array(email).max(5).default([]),
    /** The agent to assign; default: the caller. */
    ownerId: z.uuid().optional(),
    /** The team of the record; default: the caller's first team. */
    teamId: z.uuid().optional(),
    source: z.enum(SOURCES).default('walk_in'),
    tags: z.array(tag).max(20).default([]),
    preferredLanguage: language.nullable().default(null),
    nationality: country.nullable().default(null),
    whatsappOptIn: z.boolean().default(false),
    emailOptIn: z.boolean().default(false),
    requirements: requirementsInput.default(NO_REQUIREMENTS),
    note: z.string().trim().min(1).max(5000).optional(),
  })
  .strict()
  .refine((a) => a.phones.length + a.emails.length > 0, { message: 'give at least one phone or email', path: ['phones'] })
  .transform((a) => ({ ...a, phones: uniq(a.phones), emails: uniq(a.emails), tags: uniq(a.tags) }));
export type CreateApplicant = z.infer<typeof createApplicantBody>;

export const updateApplicantBody = z
  .object({
    /** The version the client edited; a mismatch is a 409. */
    version: z.number().int().min(1),
    firstName: name.optional(),
    lastName: name.optional(),
    phones: z.array(phoneNumber).max(5).optional(),
    emails: z.array(email).max(5).optional(),
    tags: z.array(tag).max(20).optional(),
    preferredLanguage: language.nullable().optional(),
    nationality: country.nullable().optional(),
    whatsappOptIn: z.boolean().optional(),
    emailOptIn: z.boolean().optional(),
    requirements: requirementsInput.optional(),
  })
  .strict()
  .refine((a) => Object.keys(a).length > 1, { message: 'change at least one field', path: ['(body)'] })
  .transform((a) => ({
    ...a,
    ...(a.phones ? { phones: uniq(a.phones) } : {}),
    ...(a.emails ? { emails: uniq(a.emails) } : {}),
    ...(a.tags ? { tags: uniq(a.tags) } : {}),
  }));
export type UpdateApplicant = z.infer<typeof updateApplicantBody>;

export const changeStatusBody = z
  .object({
    version: z.number().int().min(1),
    status: z.enum(STATUSES),
    reason: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((s) => s.status !== 'lost' || (s.reason && s.reason.length > 0), { message: 'say why the applicant was lost', path: ['reason'] });
export type ChangeStatus = z.infer<typeof changeStatusBody>;

export const noteBody = z.object({ text: z.string().trim().min(1, 'is required').max(5000) }).strict();

export const mergeBody = z
  .object({ survivorId: z.uuid('must be an applicant id (UUID)'), mergedId: z.uuid('must be an applicant id (UUID)'), survivorVersion: z.number().int().min(1) })
  .strict()
  .refine((m) => m.survivorId !== m.mergedId, { message: 'cannot merge an applicant into itself', path: ['mergedId'] });
export type MergeApplicants = z.infer<typeof mergeBody>;

export const SORTS = ['newest', 'oldest', 'updated', 'name', 'relevance'] as const;
export type Sort = (typeof SORTS)[number];

export const searchQuery = pageQuery
  .extend({
    q: z.string().trim().min(1).max(200).optional(),
    statuses: z.array(z.enum(STATUSES)).max(7).default([]),
    sources: z.array(z.enum(SOURCES)).max(6).default([]),
    ownerId: z.uuid().optional(),
    teamId: z.uuid().optional(),
    tags: z.array(tag).max(10).default([]),
    budgetFils: fils.optional(),
    bedrooms: z.number().int().min(0).max(20).optional(),
    sort: z.enum(SORTS).default('newest'),
  })
  .refine((s) => s.sort !== 'relevance' || s.q, { message: 'sort=relevance needs q', path: ['sort'] });
export type SearchQuery = z.infer<typeof searchQuery>;

/** Portal and website data is messy: unreadable phones are dropped, not fatal, as long as one way to reach the person remains. */
export const leadInput = z
  .object({
    source: z.enum(LEAD_SOURCES),
    portalLeadId: z.string().trim().min(1, 'is required').max(200),
    channel: z.string().trim().max(40).optional(),
    listingReference: z.string().trim().max(40).optional(),
    listingId: z.uuid().optional(),
    senderName: z.string().trim().max(200).optional(),
    phones: z.array(z.string().max(64)).max(10).default([]),
    emails: z.array(z.string().max(254)).max(10).default([]),
    message: z.string().trim().max(5000).optional(),
  })
  .strict()
  .transform((l) => ({
    ...l,
    phones: uniq(l.phones.map((p) => toE164(p)).filter((p): p is string => Boolean(p))),
    emails: uniq(l.emails.map((e) => e.trim().toLowerCase()).filter((e) => z.email().safeParse(e).success)),
  }))
  .refine((l) => l.phones.length + l.emails.length > 0, { message: 'the lead has no valid phone number or email', path: ['phones'] });
export type LeadInput = z.infer<typeof leadInput>;

export const rosterBody = z
  .object({
    teamId: z.uuid('must be a team id (UUID)'),
    agentIds: z.array(z.uuid()).max(100).transform(uniq),
    sources: z.array(z.enum(LEAD_SOURCES)).max(3).default([]).transform(uniq),
  })
  .strict();
export type RosterInput = z.infer<typeof rosterBody>;

export const assignInput = z
  .object({ id: z.uuid('must be an applicant id (UUID)'), version: z.number().int().min(1), ownerId: z.uuid('must be a user id (UUID)'), teamId: z.uuid('must be a team id (UUID)').optional() })
  .strict();

export const applicantId = z.uuid('must be an applicant id (UUID)');
export const teamId = z.uuid('must be a team id (UUID)');
export const timelineQuery = pageQuery;
export const auditQuery = pageQuery.extend({ applicantId: applicantId.optional() });

/** What the API returns; the entity never leaves the service. */
export interface RequirementsView {
  intent: string | null;
  propertyTypes: string[];
  bedroomsMin: number | null;
  bedroomsMax: number | null;
  budgetMinFils: number | null;
  budgetMaxFils: number | null;
  communities: string[];
  furnishing: string | null;
  moveInDate: string | null;
}

export interface ApplicantView {
  id: string;
  firstName: string;
  lastName: string;
  phones: string[];
  emails: string[];
  ownerId: string | null;
  teamId: string | null;
  status: string;
  lostReason: string | null;
  source: string;
  tags: string[];
  preferredLanguage: string | null;
  nationality: string | null;
  whatsappOptIn: boolean;
  emailOptIn: boolean;
  requirements: RequirementsView;
  mergedInto: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TimelineEntryView {
  id: string;
  applicantId: string;
  kind: string;
  at: string;
  actorId: string | null;
  summary: string;
  data: Record<string, unknown>;
}
