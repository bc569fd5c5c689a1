import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ListingCreated, ListingPublished, ListingSnapshot, ListingStatusChanged, ListingUnpublished, ListingUpdated } from '@pace/contracts';
import type { DomainEvent } from './envelope';
import type { EventContext } from './server';

type WithListing = { listing?: ListingSnapshot };

/**
 * The edge of a listing projection: every listing event (created, updated, published,
 * unpublished, status-changed) carries the whole snapshot, and a consumer that keeps a
 * projection (syndication's portals, applicants' matching) only wants that snapshot. A
 * `@Controller()` extending this gets the five `@EventPattern` handlers and writes `apply`.
 */
export abstract class ListingSnapshotHandler {
  /** Applies one snapshot, in the event's inbox transaction; an older one should change nothing. */
  protected abstract apply(snapshot: ListingSnapshot): Promise<unknown>;

  private async take(event: DomainEvent<WithListing>): Promise<void> {
    if (event.payload.listing) await this.apply(event.payload.listing);
  }

  @EventPattern<string>('listings.listing-created.v1')
  created(@Payload() event: DomainEvent<ListingCreated>, @Ctx() _context: EventContext) {
    return this.take(event);
  }

  @EventPattern<string>('listings.listing-updated.v1')
  updated(@Payload() event: DomainEvent<ListingUpdated>, @Ctx() _context: EventContext) {
    return this.take(event);
  }

  @EventPattern<string>('listings.listing-published.v1')
  published(@Payload() event: DomainEvent<ListingPublished>, @Ctx() _context: EventContext) {
    return this.take(event);
  }

  @EventPattern<string>('listings.listing-unpublished.v1')
  unpublished(@Payload() event: DomainEvent<ListingUnpublished>, @Ctx() _context: EventContext) {
    return this.take(event);
  }

  @EventPattern<string>('listings.listing-status-changed.v1')
  statusChanged(@Payload() event: DomainEvent<ListingStatusChanged>, @Ctx() _context: EventContext) {
    return this.take(event);
  }
}
