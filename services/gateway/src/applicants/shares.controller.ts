import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { ANY_ROLE, Allow, type Caller, type UserCaller } from '@pace/auth';
import type { Page } from '@pace/database';
import type { ListingShareMessage } from '@pace/rpc';
import { Endpoint } from '../api/endpoint';
import { ZodBody, ZodHeader, ZodParam, ZodQuery } from '../api/params';
import { CurrentCaller, CurrentUser } from '../auth/request';
import { ApplicantsClient } from './applicants.client';
import { applicantId } from './applicants.dto';
import { timelineEntryView } from './applicants.mapping';
import { type ListingShareView, type ShareBody, type ShareResultView, type SharesQuery, idempotencyKey, sharePage, shareBody, shareResultView, sharesQuery } from './shares.dto';

function listingShareView(s: ListingShareMessage): ListingShareView {
  return { ...s, channel: s.channel as ListingShareView['channel'], sharedBy: s.sharedBy || null };
}

/** Listings sent to applicants (kept by the applicants service; its visibility applies). */
@Controller('api/v1/applicants')
export class SharesController {
  constructor(private readonly applicants: ApplicantsClient) {}

  @Post(':id/listing-shares')
  @HttpCode(201)
  @Allow({ roles: ANY_ROLE })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Your key for this request (≤ 200 printable characters). A retry with the same key returns the first answer with 200 and `replayed: true`; the same key with other listings or channel is 409 `idempotency-key-reused`.' })
  @ApiResponse({ status: 200, description: 'A retry of a request already recorded (same Idempotency-Key): its first answer, `replayed: true`.', standardSchema: shareResultView })
  @Endpoint({
    tag: 'applicants',
    summary: 'Record listings sent to an applicant',
    description: 'One share per listing and one `listing_shared` timeline entry; event `applicants.listings-shared.v1`. 409 `listing-not-shareable` (with `listings`: each refused id and why) when a listing is not published or under offer.',
    status: 201,
    response: shareResultView,
    errors: [400, 401, 403, 404, 409, 502, 504],
  })
  async share(
    @CurrentUser() caller: UserCaller,
    @ZodParam('id', applicantId) id: string,
    @ZodBody(shareBody) body: ShareBody,
    @ZodHeader('Idempotency-Key', idempotencyKey) key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ShareResultView> {
    const result = await this.applicants.call('shareListings', { id, listingIds: body.listingIds, channel: body.channel, note: body.note ?? '', idempotencyKey: key ?? '' }, caller);
    if (result.replayed) res.status(200);
    return { shares: result.shares.map(listingShareView), entry: timelineEntryView(result.entry), replayed: result.replayed };
  }

  @Get(':id/listing-shares')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  @Endpoint({ tag: 'applicants', summary: 'Listings sent to an applicant', description: 'Newest first; `listingId` narrows to one listing (was it sent already?).', response: sharePage, errors: [400, 401, 403, 404, 502, 504] })
  async list(@CurrentCaller() caller: Caller, @ZodParam('id', applicantId) id: string, @ZodQuery(sharesQuery) query: SharesQuery): Promise<Page<ListingShareView>> {
    const res = await this.applicants.call('listListingShares', { id, limit: query.limit, cursor: query.cursor ?? '', listingId: query.listingId ?? '' }, caller);
    return { items: res.items.map(listingShareView), nextCursor: res.nextCursor || null };
  }
}
