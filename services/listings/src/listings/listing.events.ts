import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Injectable } from '@nestjs/common';
import {
  ListingCreatedSchema,
  ListingDeletedSchema,
  ListingPublishedSchema,
  type ListingSnapshot,
  ListingSnapshotSchema,
  ListingStatusChangedSchema,
  ListingUnpublishedSchema,
  ListingUpdatedSchema,
} from '@pace/contracts';
import { Outbox } from '@pace/events';
import { ADVERTISED } from '../lifecycle/lifecycle';
import type { MediaEntity } from '../media/media.entity';
import { MediaRepository } from '../media/media.repository';
import type { ListingEntity } from './listing.entity';
import { ListingReader } from './listing.reader';

/** The listing as consumers' projections keep it (event-carried state transfer), without the landlord. */
export function listingSnapshot(l: ListingEntity, media: MediaEntity[], urlOf: (m: MediaEntity) => string): ListingSnapshot {
  return create(ListingSnapshotSchema, {
    id: l.id,
    reference: l.reference,
    status: l.status,
    purpose: l.purpose,
    rentFrequency: l.rentFrequency ?? '',
    category: l.category,
    propertyType: l.propertyType,
    price: l.priceFils === null ? undefined : { amountFils: BigInt(l.priceFils), currency: l.currency },
    bedrooms: l.bedrooms ?? undefined,
    bathrooms: l.bathrooms ?? undefined,
    sizeSqft: l.size ?? undefined,
    plotSizeSqft: l.plotSize ?? undefined,
    location: { emirate: l.emirate, community: l.community, subCommunity: l.subCommunity ?? '', building: l.building ?? '' },
    title: { en: l.titleEn ?? '', ar: l.titleAr ?? '' },
    description: { en: l.descriptionEn ?? '', ar: l.descriptionAr ?? '' },
    amenities: l.amenities,
    furnishing: l.furnishing ?? '',
    completionStatus: l.completionStatus,
    permit:
      l.permitNumber === null
        ? undefined
        : { number: l.permitNumber, type: l.permitType ?? '', issueDate: l.permitIssueDate ?? '', expiryDate: l.permitExpiryDate ?? '' },
    agentId: l.agentId,
    teamId: l.teamId ?? '',
    portals: l.portals,
    media: media.map((m) => ({
      id: m.id,
      kind: m.kind,
      position: m.position,
      captionEn: m.captionEn ?? '',
      captionAr: m.captionAr ?? '',
      objectKey: m.objectKey,
      contentType: m.contentType,
      url: urlOf(m),
      sizeBytes: BigInt(m.sizeBytes),
      width: m.width ?? 0,
      height: m.height ?? 0,
    })),
    version: BigInt(l.version),
    createdAt: timestampFromDate(l.createdAt),
    updatedAt: timestampFromDate(l.updatedAt),
    publishedAt: l.publishedAt ? timestampFromDate(l.publishedAt) : undefined,
    statusChangedAt: timestampFromDate(l.statusChangedAt),
    hasLandlordContact: l.landlordName !== null,
  });
}

/** `created` for many listings in one outbox statement (an import batch); the same event as by hand. */
export async function publishCreatedMany(outbox: Outbox, snapshots: ListingSnapshot[]): Promise<void> {
  if (!snapshots.length) return;
  await outbox.publish(
    ...snapshots.map((listing) => ({ schema: ListingCreatedSchema, payload: create(ListingCreatedSchema, { listing }), aggregateId: listing.id, aggregateVersion: Number(listing.version) })),
  );
}

export async function publishUpdatedMany(outbox: Outbox, updates: { listing: ListingSnapshot; changedFields: string[] }[]): Promise<void> {
  if (!updates.length) return;
  await outbox.publish(
    ...updates.map((u) => ({ schema: ListingUpdatedSchema, payload: create(ListingUpdatedSchema, u), aggregateId: u.listing.id, aggregateVersion: Number(u.listing.version) })),
  );
}

/** Deleted for good (an import batch rolled back): the deletion is the listing's next version. */
export async function publishDeletedMany(outbox: Outbox, listings: { id: string; reference: string; version: number }[], reason: string, importBatchId: string): Promise<void> {
  if (!listings.length) return;
  await outbox.publish(
    ...listings.map((l) => ({
      schema: ListingDeletedSchema,
      payload: create(ListingDeletedSchema, { listingId: l.id, reference: l.reference, version: BigInt(l.version + 1), reason, importBatchId }),
      aggregateId: l.id,
      aggregateVersion: l.version + 1,
    })),
  );
}

/**
 * The one place listing events leave the service: written to the outbox inside the transaction
 * that made the change (the Outbox refuses otherwise), published by the relay after commit.
 */
@Injectable()
export class ListingEvents {
  constructor(
    private readonly outbox: Outbox,
    private readonly media: MediaRepository,
    private readonly reader: ListingReader,
  ) {}

  private async snapshot(l: ListingEntity): Promise<ListingSnapshot> {
    return listingSnapshot(l, await this.media.forListing(l.id), this.reader.mediaUrl);
  }

  async created(listing: ListingEntity): Promise<void> {
    const snapshot = await this.snapshot(listing);
    await this.outbox.publish({
      schema: ListingCreatedSchema,
      payload: create(ListingCreatedSchema, { listing: snapshot }),
      aggregateId: listing.id,
      aggregateVersion: listing.version,
    });
  }

  async updated(listing: ListingEntity, changedFields: string[]): Promise<void> {
    const snapshot = await this.snapshot(listing);
    await this.outbox.publish({
      schema: ListingUpdatedSchema,
      payload: create(ListingUpdatedSchema, { listing: snapshot, changedFields }),
      aggregateId: listing.id,
      aggregateVersion: listing.version,
    });
  }

  /** status-changed always; published when it starts being advertised, unpublished when it stops. */
  async statusChanged(before: ListingEntity, after: ListingEntity, action: string, comment: string | null, actorId: string): Promise<void> {
    const listing = await this.snapshot(after);
    const meta = { aggregateId: after.id, aggregateVersion: after.version };
    await this.outbox.publish({
      schema: ListingStatusChangedSchema,
      payload: create(ListingStatusChangedSchema, { listing, fromStatus: before.status, toStatus: after.status, action, comment: comment ?? '', actorId }),
      ...meta,
    });
    const wasAdvertised = ADVERTISED.includes(before.status);
    const isAdvertised = ADVERTISED.includes(after.status);
    if (!wasAdvertised && isAdvertised) {
      await this.outbox.publish({ schema: ListingPublishedSchema, payload: create(ListingPublishedSchema, { listing }), ...meta });
    } else if (wasAdvertised && !isAdvertised) {
      await this.outbox.publish({ schema: ListingUnpublishedSchema, payload: create(ListingUnpublishedSchema, { listing, action }), ...meta });
    }
  }
}
