import { z } from 'zod';
import { pageQuery } from '@pace/http';
import { pageOf, reference, requestSchema, responseSchema } from '../api/registry';
import { timelineEntryView } from './applicants.dto';

/*
 * Listing shares: an agent records that an applicant was sent listings. The applicants service
 * keeps them (with one timeline entry per request) and only accepts listings on the market.
 */
export const SHARE_CHANNELS = ['whatsapp', 'email', 'sms', 'phone', 'in_person', 'other'] as const;

export const shareBody = requestSchema(
  'ListingShareCreation',
  'Listings sent to the applicant, and how. Only published or under-offer listings can be sent.',
  z
    .object({
      listingIds: z
        .array(z.uuid('must be a listing id (UUID)'))
        .min(1, 'name at least one listing')
        .max(20, 'at most 20 listings at a time')
        .refine((ids) => new Set(ids).size === ids.length, 'names a listing twice')
        .describe('1–20 listings, each once.'),
      channel: z.enum(SHARE_CHANNELS).describe('How they were sent.'),
      note: z.string().trim().max(2000).optional().describe('What was said with them.'),
    })
    .strict(),
);
export type ShareBody = z.infer<typeof shareBody>;

/** A client's key for one request: a retry with the same key returns the first answer (200, `replayed: true`). */
export const idempotencyKey = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .optional();

export const listingShareView = responseSchema(
  'ListingShare',
  'A listing sent to an applicant.',
  z.object({
    id: z.uuid().describe('UUIDv7: ordering by id is ordering by time.'),
    applicantId: reference(z.uuid(), 'Applicant', 'Who it was sent to (the survivor, after a merge).'),
    listingId: reference(z.uuid(), 'Listing', 'The listing sent.'),
    reference: z.string().describe('The listing\'s reference when it was sent, e.g. ALS-S-001001.'),
    title: z.string().describe('Its English title when it was sent.'),
    channel: z.enum(SHARE_CHANNELS),
    note: z.string(),
    sharedBy: z.uuid().nullable().describe('The user or token that recorded it.'),
    sharedAt: z.iso.datetime(),
    timelineEntryId: z.uuid().describe('The timeline entry of the request that sent it.'),
  }),
);
export type ListingShareView = z.infer<typeof listingShareView>;

export const shareResultView = responseSchema(
  'ListingShareResult',
  'What a share request recorded: one share per listing and the timeline entry.',
  z.object({
    shares: z.array(listingShareView),
    entry: timelineEntryView,
    replayed: z.boolean().describe('True when this Idempotency-Key was seen before: nothing new was written.'),
  }),
);
export type ShareResultView = z.infer<typeof shareResultView>;

export const sharesQuery = pageQuery.extend({ listingId: z.uuid('must be a listing id (UUID)').optional().describe('Only the shares of this listing.') });
export type SharesQuery = z.infer<typeof sharesQuery>;

export const sharePage = pageOf('ListingSharePage', listingShareView, 'listing shares');
