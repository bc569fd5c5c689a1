import { Injectable, Logger } from '@nestjs/common';
import type { ListingSnapshot } from '@pace/contracts';
import { PublicationsService } from '../publications/publications.service';
import { PublicationsRepository } from '../publications/publications.repository';
import { JobsRepository } from '../propertyfinder/jobs.repository';
import { renderBayutListing } from '../bayut/feed.writer';
import { blocking, summarize } from '../validation/rules';
import { PortalValidator } from '../validation/validator';
import { PORTALS, type Portal, type ProjectedListing, fromSnapshot, wantedOn } from './listing.model';
import { ProjectionRepository } from './projection.repository';

/** Pull portals read from our projection (feed, read API); push portals get jobs. */
const PULL: readonly Portal[] = ['bayut', 'website'];

@Injectable()
export class ProjectionService {
  private readonly logger = new Logger('projection');

  constructor(
    private readonly listings: ProjectionRepository,
    private readonly publications: PublicationsRepository,
    private readonly changes: PublicationsService,
    private readonly jobs: JobsRepository,
    private readonly validator: PortalValidator,
  ) {}

  /**
   * Brings the projection and every publication of the listing in line with a snapshot. Runs in
   * the event's inbox transaction; a snapshot older than the one held is ignored.
   */
  async project(snapshot: ListingSnapshot): Promise<'applied' | 'stale'> {
    const listing = fromSnapshot(snapshot);
    const held = await this.listings.lockedVersion(listing.id);
    if (held !== undefined && held >= listing.version) {
      this.logger.debug(`ignoring listing ${listing.id} v${listing.version}: v${held} already projected`);
      return 'stale';
    }
    await this.listings.replace(listing);
    for (const portal of PORTALS) await this.reconcile(listing, portal);
    return 'applied';
  }

  /**
   * A deleted listing: the projection keeps it as a tombstone (status `deleted`, at the
   * deletion's version, so a late event cannot revive it) and every portal it is on gets the
   * same removal as an unpublish (pull portals drop it from the feed, Property Finder gets a job).
   */
  async remove(id: string, version: number): Promise<'applied' | 'stale' | 'unknown'> {
    const held = await this.listings.lockedVersion(id);
    if (held === undefined) return 'unknown';
    if (held >= version) return 'stale';
    const current = await this.listings.find(id);
    if (!current) return 'unknown';
    const listing: ProjectedListing = { ...current, status: 'deleted', version, updatedAt: new Date().toISOString() };
    await this.listings.replace(listing);
    for (const portal of PORTALS) await this.reconcile(listing, portal);
    this.logger.log(`listing ${current.reference} deleted: taken off its portals`);
    return 'applied';
  }

  /** Re-evaluates one listing on one portal (after a new snapshot, or a settings change). */
  async reconcile(listing: ProjectedListing, portal: Portal): Promise<void> {
    const desired = wantedOn(listing, portal) ? 'published' : 'unpublished';
    const problems = this.validator.check(portal, listing);
    const errors = blocking(problems);
    let pub = await this.publications.locked(listing.id, portal);
    if (!pub) {
      if (desired === 'unpublished') return; // never wanted there: nothing to record
      pub = this.changes.fresh(listing.id, portal, desired, 'pending');
    }
    const version = String(listing.version);
    if (PULL.includes(portal)) {
      if (desired === 'published' && !errors.length) {
        const live = pub.state === 'live';
        const document = portal === 'bayut' ? renderBayutListing(listing) : null;
        await this.changes.apply(pub, { desiredState: desired, state: 'live', problems, message: null, liveSince: live ? pub.liveSince : new Date(), syncedVersion: version, document }, listing);
      } else if (desired === 'published') {
        await this.changes.apply(pub, { desiredState: desired, state: 'failed', problems, message: `not sent: ${summarize(errors)}` }, listing);
      } else {
        await this.changes.apply(pub, { desiredState: desired, state: 'unpublished', problems, message: null }, listing);
      }
      return;
    }
    // Property Finder: the worker talks to the portal; here we only decide and arm the job.
    if (desired === 'published' && errors.length) {
      const onPortal = pub.state === 'live' || pub.state === 'publishing';
      await this.changes.apply(pub, { desiredState: desired, problems, state: onPortal ? pub.state : 'failed', message: `${onPortal ? 'latest changes not sent' : 'not sent'}: ${summarize(errors)}` }, listing);
      return;
    }
    if (desired === 'published') {
      const upToDate = (pub.state === 'live' || pub.state === 'publishing') && pub.syncedVersion === version;
      const state = pub.state === 'live' || pub.state === 'publishing' ? pub.state : 'pending';
      await this.changes.apply(pub, { desiredState: desired, problems, state, message: upToDate ? pub.message : pub.state === 'live' ? 'update queued' : 'queued', attempts: 0 }, listing);
      if (!upToDate) await this.jobs.arm(listing.id, portal);
      return;
    }
    if (pub.state === 'unpublished' && pub.desiredState === 'unpublished') {
      await this.changes.apply(pub, { problems }, listing);
      return;
    }
    await this.changes.apply(pub, { desiredState: desired, problems, message: 'removal queued', attempts: 0 }, listing);
    await this.jobs.arm(listing.id, portal);
  }
}
