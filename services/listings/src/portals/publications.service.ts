import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { PublicationStatus } from '@pace/contracts';
import { Db } from '@pace/database';
import { NoticeEntity } from '../expiry/notice.entity';
import { ListingsRepository } from '../listings/listings.repository';
import { PublicationsRepository } from './publications.repository';

/** States that need the agent: the portal (or our validator) refused the listing. */
const PROBLEM_STATES = new Set(['rejected', 'failed']);

const PORTAL_NAMES: Record<string, string> = { propertyfinder: 'Property Finder', bayut: 'Bayut', website: 'the website' };

/**
 * Keeps each listing's portal status as syndication reports it, and tells the agent when a portal
 * refuses their listing, with the portal's reason. Runs in the event's inbox transaction: a
 * redelivered report has no second effect, and an older one (lower version) changes nothing.
 */
@Injectable()
export class PublicationStatusService {
  private readonly logger = new Logger('portal-status');

  constructor(
    private readonly db: Db,
    private readonly publications: PublicationsRepository,
    private readonly listings: ListingsRepository,
  ) {}

  async apply(status: PublicationStatus, at = new Date()): Promise<void> {
    const listing = await this.listings.findById(status.listingId);
    if (!listing) {
      this.logger.warn(`publication ${status.publicationId} is about listing ${status.listingId}, which does not exist here; ignored`);
      return;
    }
    const applied = await this.publications.apply({
      listingId: status.listingId,
      portal: status.portal,
      desiredState: status.desiredState,
      state: status.state,
      message: status.message || null,
      portalListingId: status.portalListingId || null,
      version: String(status.version),
      changedAt: status.changedAt ? timestampDate(status.changedAt) : at,
    });
    if (!applied) return;
    if (PROBLEM_STATES.has(status.state) && applied.previousState !== status.state) {
      const portal = PORTAL_NAMES[status.portal] ?? status.portal;
      await this.db.repository(NoticeEntity).insert({
        id: uuidv7(),
        agentId: listing.agentId,
        listingId: listing.id,
        kind: 'portal-rejected',
        message:
          `Listing ${listing.reference} is not on ${portal}` +
          (status.state === 'rejected' ? ': the portal rejected it' : ': it could not be sent') +
          (status.message ? ` (${status.message})` : '') +
          '. Fix the listing and it is sent again on its next change.',
        createdAt: at,
        readAt: null,
      });
      this.logger.log(`listing ${listing.reference}: ${status.portal} ${status.state}; agent ${listing.agentId} told`);
    }
  }
}
