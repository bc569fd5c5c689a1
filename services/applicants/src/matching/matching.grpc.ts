import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import { ANY_ROLE, Allow } from '@pace/auth';
import { ZodPipe, pageQuery } from '@pace/http';
import type { ListApplicantMatchesRequest, ListApplicantMatchesResponse, ListListingMatchesRequest, ListListingMatchesResponse } from '@pace/rpc';
import { optional } from '../applicants/applicants.grpc';
import { MatchingService } from './matching.service';

const SERVICE = 'ApplicantsService';
const applicantPipe = new ZodPipe(pageQuery.extend({ id: z.uuid('must be an applicant id (UUID)') }));
const listingPipe = new ZodPipe(pageQuery.extend({ listingId: z.uuid('must be a listing id (UUID)') }));

/** Matches over gRPC. Visibility is the applicants' own: an applicant you cannot see is a 404, and left out of a listing's list. */
@Controller()
export class MatchingGrpc {
  constructor(private readonly matching: MatchingService) {}

  @GrpcMethod(SERVICE, 'ListApplicantMatches')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  async listApplicantMatches(request: ListApplicantMatchesRequest): Promise<ListApplicantMatchesResponse> {
    const query = applicantPipe.transform({ id: request.id, limit: request.limit || undefined, cursor: optional(request.cursor) });
    const page = await this.matching.listingsFor(query.id, query.limit, query.cursor);
    return {
      items: page.items.map((m) => ({
        listingId: m.listingId,
        reference: m.reference,
        title: m.title,
        purpose: m.purpose,
        ...(m.priceFils !== null ? { priceFils: String(m.priceFils) } : {}),
        currency: m.currency,
        rentFrequency: m.rentFrequency,
        propertyType: m.propertyType,
        ...(m.bedrooms !== null ? { bedrooms: m.bedrooms } : {}),
        community: m.community,
        subCommunity: m.subCommunity,
        score: m.score,
        reasons: m.reasons,
        computedAt: new Date(m.computedAt).toISOString(),
        lastSharedAt: m.lastSharedAt ? new Date(m.lastSharedAt).toISOString() : '',
      })),
      nextCursor: page.nextCursor ?? '',
    };
  }

  @GrpcMethod(SERVICE, 'ListListingMatches')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  async listListingMatches(request: ListListingMatchesRequest): Promise<ListListingMatchesResponse> {
    const query = listingPipe.transform({ listingId: request.listingId, limit: request.limit || undefined, cursor: optional(request.cursor) });
    const page = await this.matching.applicantsFor(query.listingId, query.limit, query.cursor);
    return {
      items: page.items.map((m) => ({
        applicantId: m.applicantId,
        firstName: m.firstName,
        lastName: m.lastName,
        ownerId: m.ownerId ?? '',
        teamId: m.teamId ?? '',
        status: m.status,
        score: m.score,
        reasons: m.reasons,
        computedAt: new Date(m.computedAt).toISOString(),
        lastSharedAt: m.lastSharedAt ? new Date(m.lastSharedAt).toISOString() : '',
      })),
      nextCursor: page.nextCursor ?? '',
    };
  }
}
