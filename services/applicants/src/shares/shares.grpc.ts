import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import { ANY_ROLE, Allow } from '@pace/auth';
import { ZodPipe, pageQuery } from '@pace/http';
import type { ListListingSharesRequest, ListListingSharesResponse, ListingShareMessage, ShareListingsRequest, ShareListingsResponse } from '@pace/rpc';
import { applicantId } from '../applicants/applicant.dto';
import { entryMessage, optional } from '../applicants/applicants.grpc';
import { type ListingShareView, SHARE_CHANNELS, SharesService } from './shares.service';

const SERVICE = 'ApplicantsService';
const listingId = z.uuid('must be a listing id (UUID)');

export const shareBody = z
  .object({
    id: applicantId,
    listingIds: z
      .array(listingId)
      .min(1, 'name at least one listing')
      .max(20, 'at most 20 listings at a time')
      .refine((ids) => new Set(ids).size === ids.length, 'names a listing twice'),
    channel: z.enum(SHARE_CHANNELS),
    note: z.string().trim().max(2000).optional(),
    idempotencyKey: z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional(),
  })
  .strict();
const sharePipe = new ZodPipe(shareBody);
const listPipe = new ZodPipe(pageQuery.extend({ id: applicantId, listingId: listingId.optional() }));

function shareMessage(s: ListingShareView): ListingShareMessage {
  return { ...s, sharedBy: s.sharedBy ?? '' };
}

/** Listing shares over gRPC; the applicant's visibility applies (not visible: NOT_FOUND). */
@Controller()
export class SharesGrpc {
  constructor(private readonly shares: SharesService) {}

  @GrpcMethod(SERVICE, 'ShareListings')
  @Allow({ roles: ANY_ROLE })
  async shareListings(request: ShareListingsRequest): Promise<ShareListingsResponse> {
    const { id, ...share } = sharePipe.transform({
      id: request.id,
      listingIds: request.listingIds,
      channel: request.channel,
      note: optional(request.note),
      idempotencyKey: optional(request.idempotencyKey),
    });
    const result = await this.shares.share(id, share);
    return { shares: result.shares.map(shareMessage), entry: entryMessage(result.entry), replayed: result.replayed };
  }

  @GrpcMethod(SERVICE, 'ListListingShares')
  @Allow({ roles: ANY_ROLE, scopes: ['applicants:read'] })
  async listListingShares(request: ListListingSharesRequest): Promise<ListListingSharesResponse> {
    const query = listPipe.transform({ id: request.id, limit: request.limit || undefined, cursor: optional(request.cursor), listingId: optional(request.listingId) });
    const page = await this.shares.list(query.id, query.limit, query.cursor, query.listingId);
    return { items: page.items.map(shareMessage), nextCursor: page.nextCursor ?? '' };
  }
}
