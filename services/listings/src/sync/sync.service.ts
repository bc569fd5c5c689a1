import { Injectable } from '@nestjs/common';
import { type Positioned, type SyncPage, type SyncPosition, checkSyncPosition, decodeSyncCursor, mergeSyncStreams } from '@pace/database';
import type { ListingSyncChange } from '@pace/listings-api';
import type { Caller } from '../common/caller';
import { ListingReader } from '../listings/listing.reader';
import type { ListingEntity } from '../listings/listing.entity';
import { SyncRepository } from './sync.repository';

export const LISTINGS_FEED = 'listings';

/** A listing row still to be shown, or a tombstone, at its place in the feed. */
type Item = { position: SyncPosition; live: Positioned<ListingEntity> } | { position: SyncPosition; change: ListingSyncChange };

/**
 * The listings change feed for machine clients (`listings:read`): every listing written since the
 * cursor, deleted ones as tombstones, below the snapshot horizon (see @pace/database's sync.ts).
 * Listings are shown as the caller sees them: machines read every listing, not the landlord contact.
 */
@Injectable()
export class SyncService {
  constructor(
    private readonly sync: SyncRepository,
    private readonly reader: ListingReader,
  ) {}

  async listings(caller: Caller, limit: number, cursor?: string): Promise<SyncPage<ListingSyncChange>> {
    const after = decodeSyncCursor(LISTINGS_FEED, cursor);
    const horizon = await this.sync.horizon();
    checkSyncPosition(after, horizon);
    const [live, removed] = await Promise.all([this.sync.listings(after, horizon, limit), this.sync.tombstones('listing', after, horizon, limit)]);
    // Merge first, so only the rows of this page are turned into views (media, reviews).
    const page = mergeSyncStreams<Item>(
      LISTINGS_FEED,
      after,
      [
        live.map((l) => ({ position: { seq: l.seq, id: l.row.id }, live: l })),
        removed.map(({ seq, row }) => ({
          position: { seq, id: row.id },
          change: { id: row.id, deleted: true as const, kind: 'deleted' as const, mergedInto: null, updatedAt: row.removedAt.toISOString() },
        })),
      ],
      (c) => c.position,
      limit,
    );
    const rows = page.items.flatMap((c) => ('live' in c ? [c.live.row] : []));
    const views = new Map((await this.reader.views(rows, caller)).map((v) => [v.id, v]));
    const items = page.items.map((c): ListingSyncChange => {
      if (!('live' in c)) return c.change;
      const record = views.get(c.live.row.id);
      if (!record) throw new Error(`listing ${c.live.row.id} has no view`);
      return { id: record.id, deleted: false, updatedAt: record.updatedAt, record };
    });
    return { ...page, items };
  }
}
