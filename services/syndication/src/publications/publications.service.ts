import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { PublicationChangedSchema } from '@pace/contracts';
import { Outbox } from '@pace/events';
import type { ProjectedListing } from '../projection/listing.model';
import { type DesiredState, type PublicationEntity, type PublicationState } from './publication.entity';
import { PublicationsRepository } from './publications.repository';

export type PublicationPatch = Partial<
  Pick<PublicationEntity, 'desiredState' | 'state' | 'portalListingId' | 'document' | 'message' | 'problems' | 'openActions' | 'attempts' | 'lastAttemptAt' | 'liveSince' | 'syncedVersion'>
>;

/**
 * The one place a publication changes. Runs inside the caller's transaction; every change of
 * state, portal id or message is published (outbox) as `syndication.publication-changed.v1`.
 */
@Injectable()
export class PublicationsService {
  private readonly logger = new Logger('publications');

  constructor(
    private readonly repo: PublicationsRepository,
    private readonly outbox: Outbox,
  ) {}

  fresh(listingId: string, portal: string, desiredState: DesiredState, state: PublicationState): PublicationEntity {
    return {
      id: uuidv7(),
      listingId,
      portal,
      desiredState,
      state,
      portalListingId: null,
      document: null,
      message: null,
      problems: [],
      openActions: [],
      attempts: 0,
      lastAttemptAt: null,
      liveSince: null,
      syncedVersion: '0',
      version: 0,
      changedAt: new Date(),
    };
  }

  /** Applies `patch`; returns whether anything consumers see changed (and was published). */
  async apply(pub: PublicationEntity, patch: PublicationPatch, reference: string | ProjectedListing): Promise<boolean> {
    const before = { state: pub.state, desiredState: pub.desiredState, portalListingId: pub.portalListingId, message: pub.message };
    const isNew = pub.version === 0;
    Object.assign(pub, patch);
    const visible = isNew || before.state !== pub.state || before.desiredState !== pub.desiredState || before.portalListingId !== pub.portalListingId || before.message !== pub.message;
    if (visible) {
      pub.version += 1;
      pub.changedAt = new Date();
    }
    await this.repo.save(pub);
    if (!visible) return false;
    if (before.state !== pub.state) this.logger.log(`${pub.portal} ${pub.listingId}: ${isNew ? 'new' : before.state} → ${pub.state}${pub.message ? ` (${pub.message})` : ''}`);
    const ref = typeof reference === 'string' ? reference : reference.reference;
    await this.outbox.publish({
      schema: PublicationChangedSchema,
      payload: create(PublicationChangedSchema, {
        publication: {
          publicationId: pub.id,
          listingId: pub.listingId,
          listingReference: ref,
          portal: pub.portal,
          desiredState: pub.desiredState,
          state: pub.state,
          portalListingId: pub.portalListingId ?? '',
          message: pub.message ?? '',
          version: BigInt(pub.version),
          changedAt: timestampFromDate(pub.changedAt),
        },
        previousState: isNew ? '' : before.state,
      }),
      aggregateId: pub.id,
      aggregateVersion: pub.version,
    });
    return true;
  }
}
