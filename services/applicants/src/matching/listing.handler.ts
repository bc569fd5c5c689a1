import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ListingCreated, ListingPublished, ListingSnapshot, ListingStatusChanged, ListingUnpublished, ListingUpdated } from '@pace/contracts';
import type { DomainEvent, EventContext } from '@pace/events';
import { MatchingService } from './matching.service';

type WithListing = { listing?: ListingSnapshot };

/** Every listing event carries the whole snapshot: each one refreshes the projection and its matches. */
@Controller()
export class ListingHandler {
  constructor(private readonly matching: MatchingService) {}

  private async apply(event: DomainEvent<WithListing>): Promise<void> {
    if (event.payload.listing) await this.matching.applyListing(event.payload.listing);
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
}
