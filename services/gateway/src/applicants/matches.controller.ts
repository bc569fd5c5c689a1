import { Controller, Get } from '@nestjs/common';
import { ANY_ROLE, Allow, type Caller } from '@pace/auth';
import type { Page } from '@pace/database';
import type { ApplicantMatchMessage, ListingMatchMessage } from '@pace/rpc';
import { Endpoint } from '../api/endpoint';
import { ZodParam, ZodQuery } from '../api/params';
import { CurrentCaller } from '../auth/request';
import { ApplicantsClient } from './applicants.client';
import { applicantId } from './applicants.dto';
import {
  type ApplicantMatchView,
  type ListingMatchView,
  type MatchesQuery,
  applicantMatchPage,
  listingId,
  listingMatchPage,
  matchesQuery,
} from './matches.dto';

const orNull = (s: string) => (s ? s : null);

export function listingMatchView(m: ListingMatchMessage): ListingMatchView {
  return {
    listingId: m.listingId,
    reference: m.reference,
    title: m.title,
    purpose: m.purpose as ListingMatchView['purpose'],
    priceFils: m.priceFils !== null && m.priceFils !== undefined ? Number(m.priceFils) : null,
    currency: m.currency,
    rentFrequency: orNull(m.rentFrequency),
    propertyType: m.propertyType,
    bedrooms: m.bedrooms ?? null,
    community: m.community,
    subCommunity: orNull(m.subCommunity),
    score: m.score,
    reasons: m.reasons,
    computedAt: m.computedAt,
    lastSharedAt: orNull(m.lastSharedAt),
  };
}

export function applicantMatchView(m: ApplicantMatchMessage): ApplicantMatchView {
  return {
    applicantId: m.applicantId,
    firstName: m.firstName,
    lastName: m.lastName,
    ownerId: orNull(m.ownerId),
    teamId: orNull(m.teamId),
    status: m.status as ApplicantMatchView['status'],
    score: m.score,
    reasons: m.reasons,
    computedAt: m.computedAt,
    lastSharedAt: orNull(m.lastSharedAt),
  };
}

/**
 * Matches, computed and kept by the applicants service (over gRPC). The listing side lives here
 * too, beside the listings routes: it lists applicants, so applicants' visibility applies — an
 * agent sees their own, a manager their teams', admins and `applicants:read` tokens all.
 */
@Controller('api/v1')
export class MatchesController {
  constructor(private readonly applicants: ApplicantsClient) {}

  @Get('applicants/:id/matches')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  @Endpoint({
    tag: 'matching',
    summary: 'Listings matching an applicant',
    description: 'Advertised (published) listings that pass the applicant\'s hard requirements (buy ↔ sale, rent ↔ rent; property type, bedrooms, budget with up to 10% tolerance, communities), ranked by score with reasons. 404 when the applicant is not visible to you.',
    response: listingMatchPage,
    errors: [400, 401, 403, 404, 502, 504],
  })
  async forApplicant(@CurrentCaller() caller: Caller, @ZodParam('id', applicantId) id: string, @ZodQuery(matchesQuery) query: MatchesQuery): Promise<Page<ListingMatchView>> {
    const res = await this.applicants.call('listApplicantMatches', { id, limit: query.limit, cursor: query.cursor ?? '' }, caller);
    return { items: res.items.map(listingMatchView), nextCursor: res.nextCursor || null };
  }

  @Get('listings/:id/matches')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  @Endpoint({
    tag: 'matching',
    summary: 'Applicants matching a listing',
    description: 'The applicants whose requirements the listing fits, ranked by score with reasons — only those visible to you. Empty for a listing that is not advertised (or not known yet).',
    response: applicantMatchPage,
    errors: [400, 401, 403, 502, 504],
  })
  async forListing(@CurrentCaller() caller: Caller, @ZodParam('id', listingId) id: string, @ZodQuery(matchesQuery) query: MatchesQuery): Promise<Page<ApplicantMatchView>> {
    const res = await this.applicants.call('listListingMatches', { listingId: id, limit: query.limit, cursor: query.cursor ?? '' }, caller);
    return { items: res.items.map(applicantMatchView), nextCursor: res.nextCursor || null };
  }
}
