import { Controller, Get } from '@nestjs/common';
import { Allow, type Caller } from '@pace/auth';
import type { SyncTombstoneMessage } from '@pace/rpc';
import { Endpoint } from '../api/endpoint';
import { ZodQuery } from '../api/params';
import { applicantView, timelineEntryView } from '../applicants/applicants.mapping';
import { ApplicantsClient } from '../applicants/applicants.client';
import { CurrentCaller } from '../auth/request';
import { ListingsClient } from '../common/backend.client';
import {
  type ActivitySyncPage,
  type ApplicantSyncPage,
  type ListingSyncPage,
  type SyncQuery,
  SYNC_GUARANTEE,
  activitySyncPage,
  applicantSyncPage,
  listingSyncPage,
  syncQuery,
} from './sync.dto';

const ERRORS = [400, 401, 403, 502, 504];

interface FeedChange {
  id: string;
  updatedAt: string;
  tombstone: SyncTombstoneMessage | null;
}

/** The applicants service's page as the public feed: each change the record's view, or its tombstone. */
function feedPage<C extends FeedChange, R>(res: { items: C[]; nextCursor: string; hasMore: boolean }, recordOf: (change: C) => R | undefined) {
  return {
    items: res.items.map((c) => {
      const record = recordOf(c);
      if (record !== undefined) return { id: c.id, deleted: false as const, updatedAt: c.updatedAt, record };
      const t = c.tombstone ?? { kind: 'deleted', mergedInto: '' };
      return { id: c.id, deleted: true as const, kind: t.kind as 'deleted' | 'merged', mergedInto: t.mergedInto || null, updatedAt: c.updatedAt };
    }),
    next: res.nextCursor,
    hasMore: res.hasMore,
  };
}

/**
 * `/api/v1/sync/*`: change feeds for integrations. The domain services own the feeds (their
 * tables carry the positions and tombstones); this edge checks the policy and the query's shape
 * and maps the applicants service's messages to the public views. Listings answer the public
 * shape already and are relayed.
 */
@Controller('api/v1/sync')
export class SyncController {
  constructor(
    private readonly applicantsClient: ApplicantsClient,
    private readonly listingsClient: ListingsClient,
  ) {}

  @Get('applicants')
  @Allow({ scopes: ['applicants:read'] })
  @Endpoint({ tag: 'sync', summary: 'Applicants changed since a cursor', description: SYNC_GUARANTEE, response: applicantSyncPage, errors: ERRORS })
  async applicants(@CurrentCaller() caller: Caller, @ZodQuery(syncQuery) query: SyncQuery): Promise<ApplicantSyncPage> {
    const res = await this.applicantsClient.call('syncApplicants', { limit: query.limit, cursor: query.cursor ?? '' }, caller);
    return feedPage(res, (c) => (c.applicant ? applicantView(c.applicant) : undefined));
  }

  @Get('activities')
  @Allow({ scopes: ['applicants:read'] })
  @Endpoint({ tag: 'sync', summary: 'Timeline entries (activities) changed since a cursor', description: SYNC_GUARANTEE, response: activitySyncPage, errors: ERRORS })
  async activities(@CurrentCaller() caller: Caller, @ZodQuery(syncQuery) query: SyncQuery): Promise<ActivitySyncPage> {
    const res = await this.applicantsClient.call('syncActivities', { limit: query.limit, cursor: query.cursor ?? '' }, caller);
    return feedPage(res, (c) => (c.entry ? timelineEntryView(c.entry) : undefined));
  }

  @Get('listings')
  @Allow({ scopes: ['listings:read'] })
  @Endpoint({ tag: 'sync', summary: 'Listings changed since a cursor', description: SYNC_GUARANTEE, response: listingSyncPage, errors: ERRORS })
  async listings(@CurrentCaller() caller: Caller, @ZodQuery(syncQuery) query: SyncQuery): Promise<ListingSyncPage> {
    const params = new URLSearchParams({ limit: String(query.limit), ...(query.cursor ? { cursor: query.cursor } : {}) });
    return (await this.listingsClient.json<ListingSyncPage>(caller, { method: 'GET', path: `/sync/listings?${params}` })).body;
  }
}
