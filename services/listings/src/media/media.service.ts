import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import { NotFoundError, VersionConflictError } from '@pace/http';
import type { Caller } from '../common/caller';
import { InvalidListingError, TransitionNotAllowedError } from '../common/errors';
import { AuditRepository } from '../audit/audit.repository';
import { EDITABLE } from '../lifecycle/lifecycle';
import type { ListingView } from '@pace/listings-api';
import type { ListingEntity } from '../listings/listing.entity';
import { ListingEvents } from '../listings/listing.events';
import { ListingReader } from '../listings/listing.reader';
import { mediaView } from '../listings/listing.view';
import { ListingsRepository } from '../listings/listings.repository';
import type { CaptionBody, OrderBody, UploadQuery } from '@pace/listings-api';
import type { MediaEntity } from './media.entity';
import { MediaRepository } from './media.repository';
import { StoragePort, objectKeyFor } from './storage.port';
import { dimensionsOf } from './media.dto';

const snapshotOf = (items: MediaEntity[]) => ({
  media: items.map((m) => ({ id: m.id, kind: m.kind, position: m.position, captionEn: m.captionEn, captionAr: m.captionAr, objectKey: m.objectKey })),
});

@Injectable()
export class MediaService {
  private readonly logger = new Logger('media');

  constructor(
    private readonly db: Db,
    private readonly listings: ListingsRepository,
    private readonly media: MediaRepository,
    private readonly reader: ListingReader,
    private readonly storage: StoragePort,
    private readonly audit: AuditRepository,
    private readonly events: ListingEvents,
  ) {}

  /** Locks the listing for a media change: visible, editable, and at the expected version. */
  private async lockForMedia(caller: Caller, listingId: string, version?: number): Promise<ListingEntity> {
    const listing = await this.reader.forWrite(caller, listingId);
    if (version !== undefined && version !== listing.version) throw new VersionConflictError('Listing', listingId, version, listing.version);
    if (!EDITABLE.includes(listing.status)) {
      throw new TransitionNotAllowedError(listing.status, 'media', [], `Listing ${listing.reference} is ${listing.status}; its media can no longer change.`);
    }
    return listing;
  }

  /** Records the media change as a new listing version, with its audit row and event. */
  private async changed(caller: Caller, listing: ListingEntity, action: string, before: MediaEntity[]): Promise<ListingView> {
    const after = await this.media.forListing(listing.id);
    const touched = await this.listings.touch(listing.id);
    await this.audit.record(listing.id, caller, action, snapshotOf(before), snapshotOf(after));
    await this.events.updated(touched, ['media']);
    return this.reader.view(touched, caller);
  }

  async upload(caller: Caller, listingId: string, q: UploadQuery, contentType: string, body: Buffer): Promise<ListingView> {
    const id = uuidv7();
    const type = contentType.split(';')[0].trim().toLowerCase();
    const key = objectKeyFor(listingId, id, type);
    return this.db.transaction(async () => {
      const listing = await this.lockForMedia(caller, listingId, q.version);
      const before = await this.media.forListing(listingId);
      // Bytes first: if the commit then fails, an unreferenced object is left, never a row without bytes.
      await this.storage.put(key, body, type);
      await this.media.insert({
        id,
        listingId,
        kind: q.kind,
        position: await this.media.nextPosition(listingId, q.kind),
        captionEn: q.captionEn || null,
        captionAr: q.captionAr || null,
        objectKey: key,
        contentType: type,
        sizeBytes: body.length,
        width: dimensionsOf(type, body)?.width ?? null,
        height: dimensionsOf(type, body)?.height ?? null,
      });
      return this.changed(caller, listing, 'media:add', before);
    });
  }

  async caption(caller: Caller, listingId: string, mediaId: string, body: CaptionBody): Promise<ListingView> {
    return this.db.transaction(async () => {
      const listing = await this.lockForMedia(caller, listingId, body.version);
      const before = await this.media.forListing(listingId);
      const item = before.find((m) => m.id === mediaId);
      if (!item) throw new NotFoundError('Media', mediaId);
      await this.media.update(mediaId, {
        ...(body.caption.en !== undefined ? { captionEn: body.caption.en || null } : {}),
        ...(body.caption.ar !== undefined ? { captionAr: body.caption.ar || null } : {}),
      });
      return this.changed(caller, listing, 'media:caption', before);
    });
  }

  async reorder(caller: Caller, listingId: string, body: OrderBody): Promise<ListingView> {
    return this.db.transaction(async () => {
      const listing = await this.lockForMedia(caller, listingId, body.version);
      const before = await this.media.forListing(listingId);
      const current = before.filter((m) => m.kind === body.kind).map((m) => m.id);
      if (current.length !== body.ids.length || !current.every((id) => body.ids.includes(id))) {
        throw new InvalidListingError([{ field: 'ids', message: `must list every ${body.kind} of the listing exactly once (${current.length} now)` }]);
      }
      for (const [position, id] of body.ids.entries()) await this.media.update(id, { position });
      return this.changed(caller, listing, 'media:reorder', before);
    });
  }

  async remove(caller: Caller, listingId: string, mediaId: string, version?: number): Promise<ListingView> {
    let key: string | undefined;
    const view = await this.db.transaction(async () => {
      const listing = await this.lockForMedia(caller, listingId, version);
      const before = await this.media.forListing(listingId);
      const item = before.find((m) => m.id === mediaId);
      if (!item) throw new NotFoundError('Media', mediaId);
      key = item.objectKey;
      await this.media.remove(mediaId);
      // Close the gap so positions stay 0..n-1.
      for (const m of before.filter((x) => x.kind === item.kind && x.position > item.position)) await this.media.update(m.id, { position: m.position - 1 });
      return this.changed(caller, listing, 'media:remove', before);
    });
    // After the commit: a failed delete leaves an orphan object, never a row pointing at nothing.
    if (key) await this.storage.delete(key).catch((error: unknown) => this.logger.warn({ err: error }, `could not delete ${key}`));
    return view;
  }

  async content(caller: Caller, listingId: string, mediaId: string): Promise<{ body: Buffer; contentType: string }> {
    await this.reader.forRead(caller, listingId);
    const item = await this.media.findOne(listingId, mediaId);
    const stored = item ? await this.storage.get(item.objectKey) : null;
    if (!item || !stored) throw new NotFoundError('Media', mediaId);
    return stored;
  }

  async list(caller: Caller, listingId: string) {
    await this.reader.forRead(caller, listingId);
    return { items: (await this.media.forListing(listingId)).map((m) => mediaView(m, this.reader.mediaUrl(m))) };
  }
}
