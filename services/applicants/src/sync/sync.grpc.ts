import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Allow } from '@pace/auth';
import { ZodPipe, syncQuery } from '@pace/http';
import type { SyncActivitiesResponse, SyncApplicantsResponse, SyncRequest } from '@pace/rpc';
import { entryMessage, message, optional } from '../applicants/applicants.grpc';
import { SyncService } from './sync.service';

const SERVICE = 'ApplicantsService';
const queryPipe = new ZodPipe(syncQuery);

/**
 * The sync feeds over gRPC, for machine principals only (`applicants:read`): people use the
 * searches and timelines, which apply their visibility; the feeds cover every record.
 */
@Controller()
export class SyncGrpc {
  constructor(private readonly sync: SyncService) {}

  @GrpcMethod(SERVICE, 'SyncApplicants')
  @Allow({ scopes: ['applicants:read'] })
  async syncApplicants(request: SyncRequest): Promise<SyncApplicantsResponse> {
    const query = queryPipe.transform({ limit: request.limit || undefined, cursor: optional(request.cursor) });
    const page = await this.sync.applicants(query.limit, query.cursor);
    return {
      items: page.items.map((c) => ({ id: c.id, updatedAt: c.updatedAt, applicant: c.record ? message(c.record) : null, tombstone: c.gone ? { kind: c.gone.kind, mergedInto: c.gone.mergedInto ?? '' } : null })),
      nextCursor: page.next,
      hasMore: page.hasMore,
    };
  }

  @GrpcMethod(SERVICE, 'SyncActivities')
  @Allow({ scopes: ['applicants:read'] })
  async syncActivities(request: SyncRequest): Promise<SyncActivitiesResponse> {
    const query = queryPipe.transform({ limit: request.limit || undefined, cursor: optional(request.cursor) });
    const page = await this.sync.activities(query.limit, query.cursor);
    return {
      items: page.items.map((c) => ({ id: c.id, updatedAt: c.updatedAt, entry: c.record ? entryMessage(c.record) : null, tombstone: c.gone ? { kind: c.gone.kind, mergedInto: c.gone.mergedInto ?? '' } : null })),
      nextCursor: page.next,
      hasMore: page.hasMore,
    };
  }
}
