import { z } from 'zod';
import { syncChangeOf, syncPageOf, syncQuery as feedQuery, syncTombstone } from '@pace/http';
import { applicantView, timelineEntryView } from '../applicants/applicants.dto';
import { listing } from '../listings/listings.dto';
import { responseSchema, responseSchemas } from '../api/registry';

/*
 * The change feeds for integrations (the Salesforce adapter): `/api/v1/sync/{applicants,
 * listings,activities}`. The shapes come from @pace/http (the listings service answers the same
 * shape); the records inside are the public views of each API.
 */

/** How the feeds behave: the tag's description and each operation's. */
export const SYNC_GUARANTEE = [
  'Each feed returns the records changed since `cursor` (none: from the beginning), oldest change first, `limit` (1–1000, default 200) at a time, as `{ items, next, hasMore }`.',
  '',
  '**Guarantee:** a client that stores `next` and always calls again with it never misses a change and never loops, even while records are written concurrently. ' +
    'Every change of a record is delivered at least once after it commits; a record changed again is delivered again (later in the feed), so a client keeps the last version it saw of each id. ' +
    '`hasMore: false` means caught up for now: keep `next` and poll again later with it (it is always set, also on an empty page).',
  '',
  '**Deletions and merges** are tombstones `{ id, deleted: true, kind, mergedInto }`: `kind: "deleted"` was removed (by any path, including an import being rolled back), ' +
    '`kind: "merged"` was folded into `mergedInto` (an applicant), whose own change comes through the feed too. Re-created ids come back as records.',
  '',
  '**How:** every write stamps the row with the id of its transaction; a page holds only rows whose transaction id is below the oldest transaction still running, in (transaction id, record id) order. ' +
    'So a transaction that began earlier but commits later can never land behind a cursor (ordering by `updatedAt` would lose such rows). ' +
    'A long-running transaction on the database therefore delays the feed (it never loses changes).',
  '',
  'Cursors are opaque and bound to their feed; a cursor that is malformed, from another feed, or ahead of the database (after a restore from a dump: start again without a cursor) is a 400 `invalid-cursor` with the reason. ' +
    'Only API tokens may call the feeds (`applicants:read` for applicants and activities, `listings:read` for listings); signed-in people get 403 `api-token-required`.',
].join('\n');

export const syncQuery = feedQuery;
export type SyncQuery = z.infer<typeof syncQuery>;

responseSchemas.add(syncTombstone, { id: 'SyncTombstone' });

const APPLICANT_ID = '01938f4e-6a1b-7c3d-8e9f-0a1b2c3d4e5f';
const MERGED_ID = '01938f4e-7b2c-7d4e-9f0a-1b2c3d4e5f60';
const NEXT = 'eyJ2IjoxLCJmZWVkIjoiYXBwbGljYW50cyIsInNlcSI6Ijc0MSIsImlkIjoiMDE5MzhmNGUtN2IyYy03ZDRlLTlmMGEtMWIyYzNkNGU1ZjYwIn0';

export const applicantSyncChange = responseSchema('ApplicantSyncChange', 'One change of the applicants feed: the applicant as it is now, or its tombstone.', syncChangeOf(applicantView));
export type ApplicantSyncChange = z.infer<typeof applicantSyncChange>;
export const applicantSyncPage = responseSchema(
  'ApplicantSyncPage',
  'A page of the applicants feed. Store `next`; call again with it.',
  syncPageOf(applicantSyncChange).meta({
    examples: [
      {
        items: [
          {
            id: APPLICANT_ID,
            deleted: false,
            updatedAt: '2026-11-30T09:12:44.120Z',
            record: {
              id: APPLICANT_ID,
              firstName: 'Aisha',
              lastName: 'Khan',
              phones: ['+971501234567'],
              emails: ['aisha.khan@example.com'],
              ownerId: '01938f4e-0000-7000-8000-00000000a001',
              teamId: '01938f4e-0000-7000-8000-00000000b001',
              status: 'qualified',
              lostReason: null,
              source: 'bayut',
              tags: ['investor'],
              preferredLanguage: 'en',
              nationality: 'AE',
              whatsappOptIn: true,
              emailOptIn: false,
              requirements: { intent: 'buy', propertyTypes: ['apartment'], bedroomsMin: 2, bedroomsMax: 3, budgetMinFils: null, budgetMaxFils: 300000000, communities: ['Dubai Marina'], furnishing: null, moveInDate: null },
              mergedInto: null,
              createdAt: '2026-11-28T15:02:10.004Z',
              updatedAt: '2026-11-30T09:12:44.120Z',
              version: 4,
            },
          },
          { id: MERGED_ID, deleted: true, kind: 'merged', mergedInto: APPLICANT_ID, updatedAt: '2026-11-30T09:12:44.120Z' },
        ],
        next: NEXT,
        hasMore: false,
      },
    ],
  }),
);
export type ApplicantSyncPage = z.infer<typeof applicantSyncPage>;

export const activitySyncChange = responseSchema('ActivitySyncChange', 'One change of the activities feed: the timeline entry as it is now, or its tombstone.', syncChangeOf(timelineEntryView));
export type ActivitySyncChange = z.infer<typeof activitySyncChange>;
export const activitySyncPage = responseSchema(
  'ActivitySyncPage',
  'A page of the activities feed (timeline entries of every applicant). A merge moves entries to the survivor, so they come again with the new `applicantId`.',
  syncPageOf(activitySyncChange).meta({
    examples: [
      {
        items: [
          {
            id: '01938f4f-1c2d-7e3f-8a4b-5c6d7e8f9a0b',
            deleted: false,
            updatedAt: '2026-11-30T09:15:02.511Z',
            record: {
              id: '01938f4f-1c2d-7e3f-8a4b-5c6d7e8f9a0b',
              applicantId: APPLICANT_ID,
              kind: 'note',
              at: '2026-11-30T09:15:02.511Z',
              actorId: '01938f4e-0000-7000-8000-00000000a001',
              summary: 'Wants to view on Saturday',
              data: { text: 'Wants to view on Saturday' },
            },
          },
        ],
        next: 'eyJ2IjoxLCJmZWVkIjoiYWN0aXZpdGllcyIsInNlcSI6Ijc0NSIsImlkIjoiMDE5MzhmNGYtMWMyZC03ZTNmLThhNGItNWM2ZDdlOGY5YTBiIn0',
        hasMore: false,
      },
    ],
  }),
);
export type ActivitySyncPage = z.infer<typeof activitySyncPage>;

export const listingSyncChange = responseSchema(
  'ListingSyncChange',
  'One change of the listings feed: the listing as it is now (every listing; the landlord contact stays hidden, as for every machine), or its tombstone.',
  syncChangeOf(listing),
);
export const listingSyncPage = responseSchema(
  'ListingSyncPage',
  'A page of the listings feed. Store `next`; call again with it.',
  syncPageOf(listingSyncChange).meta({
    examples: [
      {
        items: [{ id: '01938f50-2d3e-7f4a-8b5c-6d7e8f9a0b1c', deleted: true, kind: 'deleted', mergedInto: null, updatedAt: '2026-11-30T10:01:00.000Z' }],
        next: 'eyJ2IjoxLCJmZWVkIjoibGlzdGluZ3MiLCJzZXEiOiI3NTAiLCJpZCI6IjAxOTM4ZjUwLTJkM2UtN2Y0YS04YjVjLTZkN2U4ZjlhMGIxYyJ9',
        hasMore: false,
      },
    ],
  }),
);
export type ListingSyncPage = z.infer<typeof listingSyncPage>;
