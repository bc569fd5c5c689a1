import { z } from 'zod';
import { pageQuery } from '@pace/http';
import { reference, responseSchema } from '../api/registry';
import { STATUSES } from './applicants.dto';

/*
 * Matches between applicants and advertised listings, as the applicants service computes them:
 * hard filters (purpose, type, bedrooms, budget ±10%, community) and a 0–100 score with reasons.
 */
const score = z.number().int().min(0).max(100).describe('0–100: how well the listing fits the requirements (price, bedrooms, community, furnishing, move-in).');
const reasons = z.array(z.string()).describe('Why it fits, for people: e.g. "AED 2.4M, 4% under budget", "3 bedrooms, within 2–3", "in Dubai Marina, a preferred community".');
const ranked = (what: string) =>
  `${what}, best first (score, then id, both descending). Pass \`nextCursor\` as \`cursor\` for the next page; null on the last.`;

export const listingMatchView = responseSchema(
  'ListingMatch',
  'An advertised listing that fits an applicant\'s requirements.',
  z.object({
    listingId: reference(z.uuid(), 'Listing', 'The matching listing.'),
    reference: z.string().describe('e.g. ALS-S-001001.'),
    title: z.string().describe('English title.'),
    purpose: z.enum(['sale', 'rent']),
    priceFils: z.number().int().nullable().describe('AED in fils (1 AED = 100 fils); for rentals per `rentFrequency` period.'),
    currency: z.string(),
    rentFrequency: z.string().nullable().describe('yearly, monthly, weekly or daily for rentals; null for sales.'),
    propertyType: z.string(),
    bedrooms: z.number().int().nullable().describe('0 is a studio.'),
    community: z.string(),
    subCommunity: z.string().nullable(),
    score,
    reasons,
    computedAt: z.iso.datetime().describe('When the match was last computed.'),
    lastSharedAt: z.iso.datetime().nullable().describe('When the listing was last sent to the applicant (see listing shares); null: never.'),
  }),
);
export type ListingMatchView = z.infer<typeof listingMatchView>;

export const listingMatchPage = responseSchema(
  'ListingMatchPage',
  ranked('A page of the listings matching an applicant'),
  z.object({ items: z.array(listingMatchView), nextCursor: z.string().nullable() }),
);

export const applicantMatchView = responseSchema(
  'ApplicantMatch',
  'An applicant whose requirements a listing fits (only applicants the caller may see).',
  z.object({
    applicantId: reference(z.uuid(), 'Applicant', 'The matching applicant.'),
    firstName: z.string(),
    lastName: z.string(),
    ownerId: reference(z.uuid().nullable(), 'User', 'The agent the applicant belongs to.'),
    teamId: reference(z.uuid().nullable(), 'Team', 'The team whose managers see the applicant.'),
    status: z.enum(STATUSES),
    score,
    reasons,
    computedAt: z.iso.datetime().describe('When the match was last computed.'),
    lastSharedAt: z.iso.datetime().nullable().describe('When the listing was last sent to the applicant (see listing shares); null: never.'),
  }),
);
export type ApplicantMatchView = z.infer<typeof applicantMatchView>;

export const applicantMatchPage = responseSchema(
  'ApplicantMatchPage',
  ranked('A page of the applicants a listing matches'),
  z.object({ items: z.array(applicantMatchView), nextCursor: z.string().nullable() }),
);

export const matchesQuery = pageQuery;
export type MatchesQuery = z.infer<typeof matchesQuery>;
export const listingId = z.uuid('must be a listing id (UUID)').describe('Listing id.');
