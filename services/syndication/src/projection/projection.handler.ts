import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ListingCreated, ListingDeleted, ListingPublished, ListingSnapshot, ListingStatusChanged, ListingUnpublished, ListingUpdated } from '@pace/contracts';
import type { DomainEvent, EventContext } from '@pace/events';
import { ProjectionService } from './projection.service';

type WithListing = { listing?: ListingSnapshot };

/** Keeps the listing projection (and so every publication) fed from listing events. */
@Controller()
export class ProjectionHandler {
  constructor(private readonly projection: ProjectionService) {}

  private async apply(event: DomainEvent<WithListing>): Promise<void> {
    if (event.payload.listing) await this.projection.project(event.payload.listing);
  }

  @EventPattern<string>('listings.listing-created.v1')
  created(@Payload() event: DomainEvent<ListingCreated>, @Ctx() _context: EventContext) {
    return this.apply(event);
  }

  @EventPattern<string>('listings.listing-updated.v1')
  updated(@Payload() event: DomainEvent<ListingUpdated>, @Ctx() _context: EventContext) {
    return this.apply(event);
  }

  @EventPattern<string>('listings.listing-published.v1')
  published(@Payload() event: DomainEvent<ListingPublished>, @Ctx() _context: EventContext) {
    return this.apply(event);
  }

  @EventPattern<string>('listings.listing-unpublished.v1')
  unpublished(@Payload() event: DomainEvent<ListingUnpublished>, @Ctx() _context: EventContext) {
    return this.apply(event);
  }

  @EventPattern<string>('listings.listing-status-changed.v1')
  statusChanged(@Payload() event: DomainEvent<ListingStatusChanged>, @Ctx() _context: EventContext) {
    return this.apply(event);
  }

  /** Deleted for good (an import rolled back): off every portal, like an unpublish. */
  @EventPattern<string>('listings.listing-deleted.v1')
  deleted(@Payload() event: DomainEvent<ListingDeleted>, @Ctx() _context: EventContext) {
    return this.projection.remove(event.payload.listingId, Number(event.payload.version) || event.aggregateVersion);
  }
}
