import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ListingDeleted, ListingSnapshot } from '@pace/contracts';
import { type DomainEvent, type EventContext, ListingSnapshotHandler } from '@pace/events';
import { ProjectionService } from './projection.service';

/** Keeps the listing projection (and so every publication) fed from listing events. */
@Controller()
export class ProjectionHandler extends ListingSnapshotHandler {
  constructor(private readonly projection: ProjectionService) {
    super();
  }

  protected apply(snapshot: ListingSnapshot) {
    return this.projection.project(snapshot);
  }

  /** Deleted for good (an import rolled back): off every portal, like an unpublish. */
  @EventPattern<string>('listings.listing-deleted.v1')
  deleted(@Payload() event: DomainEvent<ListingDeleted>, @Ctx() _context: EventContext) {
    return this.projection.remove(event.payload.listingId, Number(event.payload.version) || event.aggregateVersion);
  }
}
