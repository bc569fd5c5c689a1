import { Injectable } from '@nestjs/common';
import { VersionConflictError } from '@pace/http';
import { Db } from '@pace/database';
import { type Caller, SYSTEM_ACTOR } from '../common/caller';
import { ForbiddenError } from '@pace/auth';
import { InvalidListingError, ListingNotPublishableError, TransitionNotAllowedError } from '../common/errors';
import { AuditRepository } from '../audit/audit.repository';
import type { ListingView } from '@pace/listings-api';
import type { ListingEntity } from '../listings/listing.entity';
import { ListingEvents } from '../listings/listing.events';
import { ListingReader } from '../listings/listing.reader';
import { auditState } from '../listings/listing.view';
import { type ListingChanges, ListingsRepository } from '../listings/listings.repository';
import { MediaRepository } from '../media/media.repository';
import { type Action, allowedActions, decide } from './lifecycle';
import { type PublishCandidate, dubaiToday, publishProblems } from './publishability';

export function candidateOf(l: ListingEntity, imageCount: number): PublishCandidate {
  return {
    reference: l.reference,
    purpose: l.purpose,
    rentFrequency: l.rentFrequency,
    category: l.category,
    propertyType: l.propertyType,
    priceFils: l.priceFils,
    bedrooms: l.bedrooms,
    bathrooms: l.bathrooms,
    sizeSqft: l.size,
    emirate: l.emirate,
    community: l.community,
    titleEn: l.titleEn,
    descriptionEn: l.descriptionEn,
    amenities: l.amenities,
    furnishing: l.furnishing,
    completionStatus: l.completionStatus,
    permitNumber: l.permitNumber,
    permitType: l.permitType,
    permitIssueDate: l.permitIssueDate,
    permitExpiryDate: l.permitExpiryDate,
    agentId: l.agentId,
    portals: l.portals,
    imageCount,
  };
}

export interface TransitionRequest {
  action: Action;
  comment?: string;
  /** Optional here: a status move is safe to apply to any version, but a stale one is refused when given. */
  version?: number;
}

@Injectable()
export class LifecycleService {
  constructor(
    private readonly db: Db,
    private readonly listings: ListingsRepository,
    private readonly media: MediaRepository,
    private readonly reader: ListingReader,
    private readonly audit: AuditRepository,
    private readonly events: ListingEvents,
  ) {}

  async transition(caller: Caller, id: string, request: TransitionRequest, now = new Date()): Promise<ListingView> {
    const after = await this.db.transaction(() => this.apply(caller, id, request, now));
    return this.reader.view(after, caller);
  }

  /** The permit sweep's move; same rules, same audit and events, actor `system`. */
  async expire(id: string, now: Date): Promise<ListingEntity> {
    return this.db.transaction(() => this.apply('system', id, { action: 'expire', comment: 'the advertising permit lapsed' }, now));
  }

  private async apply(caller: Caller | 'system', id: string, request: TransitionRequest, now: Date): Promise<ListingEntity> {
    const before = await this.reader.forWrite(caller, id);
    if (request.version !== undefined && request.version !== before.version) throw new VersionConflictError('Listing', id, request.version, before.version);
    const comment = request.comment?.trim() || null;
    const decision = decide(before, request.action, caller, comment ?? undefined);
    if (!decision.ok) {
      if (decision.reason === 'not-permitted') throw new ForbiddenError('transition-not-permitted', decision.message);
      if (decision.reason === 'comment-required') throw new InvalidListingError([{ field: 'comment', message: decision.message }]);
      throw new TransitionNotAllowedError(before.status, request.action, caller === 'system' ? [] : allowedActions(before, caller), decision.message);
    }
    const { transition } = decision;
    if (transition.needsPublishable) {
      const problems = publishProblems(candidateOf(before, await this.media.countImages(id)), dubaiToday(now));
      if (problems.length) throw new ListingNotPublishableError(before.reference, problems);
    }
    const changes: ListingChanges = { status: transition.to, statusChangedAt: now };
    if (transition.to === 'published') changes.publishedAt = now;
    const after = await this.listings.update(id, changes);
    const actor = caller === 'system' ? SYSTEM_ACTOR : caller;
    if (caller !== 'system' && (transition.action === 'approve' || transition.action === 'reject')) {
      await this.listings.recordApproval({
        listingId: id,
        decision: transition.action === 'approve' ? 'approved' : 'rejected',
        comment,
        decidedBy: caller.userId,
        decidedByRole: caller.role,
        decidedAt: now,
      });
    }
    await this.audit.record(id, actor, `transition:${transition.action}`, auditState(before), auditState(after), comment);
    await this.events.statusChanged(before, after, transition.action, comment, actor.userId);
    return after;
  }
}
