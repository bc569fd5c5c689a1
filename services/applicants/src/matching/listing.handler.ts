import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ListingDeleted, ListingSnapshot } from '@pace/contracts';
import { type DomainEvent, type EventContext, ListingSnapshotHandler } from '@pace/events';
import { MatchingService } from './matching.service';

/** Every listing event carries the whole snapshot: each one refreshes the projection and its matches. */
@Controller()
export class ListingHandler extends ListingSnapshotHandler {
  constructor(private readonly matching: MatchingService) {
    super();
  }

  protected apply(snapshot: ListingSnapshot) {
    return this.matching.applyListing(snapshot);
  }

  /** Deleted for good (an import rolled back): its matches go. */
  @EventPattern<string>('listings.listing-deleted.v1')
  deleted(@Payload() event: DomainEvent<ListingDeleted>, @Ctx() _context: EventContext) {
    return this.matching.removeListing(event.payload.listingId, Number(event.payload.version) || event.aggregateVersion);
  }
}
