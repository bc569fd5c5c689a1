import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@pace/http';
import type { Caller } from '../common/caller';
import { ForbiddenError } from '@pace/auth';
import type { MediaEntity } from '../media/media.entity';
import { MediaRepository } from '../media/media.repository';
import { PublicationsRepository } from '../portals/publications.repository';
import { StoragePort } from '../media/storage.port';
import { LISTINGS_CONFIG, type ListingsConfig } from '../config';
import type { ListingView } from '@pace/listings-api';
import type { ListingEntity } from './listing.entity';
import { listingView } from './listing.view';
import { ListingsRepository } from './listings.repository';
import { readsAll, seesAsStock, seesFully } from './visibility';

/** Loads listings with the caller's visibility applied and turns them into views. */
@Injectable()
export class ListingReader {
  constructor(
    private readonly listings: ListingsRepository,
    private readonly media: MediaRepository,
    private readonly publications: PublicationsRepository,
    private readonly storage: StoragePort,
    @Inject(LISTINGS_CONFIG) private readonly config: ListingsConfig,
  ) {}

  readonly mediaUrl = (m: MediaEntity): string =>
    this.storage.publicUrl(m.objectKey) ?? `${this.config.LISTINGS_MEDIA_ROUTE_BASE}/listings/${m.listingId}/media/${m.id}/content`;

  /** A listing the caller may change (404 when they cannot see it at all, 403 when only as stock). */
  async forWrite(caller: Caller | 'system', id: string): Promise<ListingEntity> {
    const listing = await this.listings.lockById(id);
    if (!listing) throw new NotFoundError('Listing', id);
    if (caller !== 'system' && !seesFully(caller, listing)) {
      if (seesAsStock(listing)) throw new ForbiddenError('not-your-listing', `Listing ${listing.reference} belongs to another agent's team; you may read it but not change it.`);
      throw new NotFoundError('Listing', id);
    }
    return listing;
  }

  /** A listing the caller may read, fully or as stock. */
  async forRead(caller: Caller, id: string): Promise<ListingEntity> {
    const listing = await this.listings.findById(id);
    if (!listing || (!readsAll(caller) && !seesFully(caller, listing) && !seesAsStock(listing))) throw new NotFoundError('Listing', id);
    return listing;
  }

  async views(rows: ListingEntity[], caller: Caller | null): Promise<ListingView[]> {
    const ids = rows.map((r) => r.id);
    const [media, reviews, publications] = await Promise.all([this.media.forListings(ids), this.listings.latestApprovals(ids), this.publications.forListings(ids)]);
    return rows.map((r) => listingView(r, media.get(r.id) ?? [], reviews.get(r.id), caller, this.mediaUrl, publications.get(r.id)));
  }

  async view(row: ListingEntity, caller: Caller | null): Promise<ListingView> {
    return (await this.views([row], caller))[0];
  }
}
