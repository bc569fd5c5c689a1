import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Db } from '@pace/database';
import { SYNDICATION_CONFIG, type SyndicationConfig } from '../config';
import type { ProjectedListing } from '../projection/listing.model';
import { ProjectionRepository } from '../projection/projection.repository';
import type { PublicationEntity } from '../publications/publication.entity';
import { type PublicationPatch, PublicationsService } from '../publications/publications.service';
import { PublicationsRepository } from '../publications/publications.repository';
import { blocking } from '../validation/rules';
import { PfLocationEntity } from './job.entity';
import { type ClaimedJob, JobsRepository } from './jobs.repository';
import { PfAccounts } from './pf.accounts';
import { type PfClient, PfError } from './pf.client';
import { locationSearches, toPfListing } from './pf.mapper';
import { backoff } from './rate-limiter';

/** A job failing this many times in a row leaves the publication `failed` (it keeps retrying, slowly). */
const FAILED_AFTER = 5;
const LEASE_MS = 120_000;

class NotPublishable extends Error {}

/**
 * Pushes listings to Property Finder from the `publish_job` table: create draft → publish (or
 * update, or unpublish). Safe to crash at any point: jobs are leased, and a listing created
 * before a crash is found again by its reference, never created twice.
 */
@Injectable()
export class PfWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('pf-worker');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobsRepository,
    private readonly listings: ProjectionRepository,
    private readonly publications: PublicationsRepository,
    private readonly changes: PublicationsService,
    private readonly accounts: PfAccounts,
    @Inject(SYNDICATION_CONFIG) private readonly config: SyndicationConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SYNDICATION_WORKER_POLL_MS > 0) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`worker tick failed: ${(error as Error).message}`))
        .finally(() => this.schedule(this.config.SYNDICATION_WORKER_POLL_MS));
    }, ms);
  }

  /** Claims due jobs and runs them (also called by tests and the bench to drain at once). */
  async tick(): Promise<number> {
    await this.jobs.armStalePublishing(this.config.SYNDICATION_PF_CHECK_AFTER_MS);
    const claimed = await this.jobs.claim(10, LEASE_MS);
    for (const job of claimed) {
      if (this.stopped) break;
      await this.run(job);
    }
    return claimed.length;
  }

  private async run(job: ClaimedJob): Promise<void> {
    if (job.portal !== 'propertyfinder') {
      await this.jobs.complete(job);
      return;
    }
    const listing = await this.listings.find(job.listingId);
    const pub = await this.publications.find(job.listingId, job.portal);
    if (!listing || !pub) {
      await this.jobs.complete(job);
      return;
    }
    const account = await this.accounts.client();
    if ('unavailable' in account) {
      await this.update(pub, listing, { message: `waiting: ${account.unavailable}` });
      await this.jobs.retryLater(job, 60_000, account.unavailable);
      return;
    }
    const { client } = account;
    const callsBefore = client.calls;
    try {
      if (pub.desiredState === 'published') await this.publish(client, account.options, listing, pub);
      else await this.unpublish(client, listing, pub);
      await this.jobs.complete(job);
    } catch (error) {
      const attempts = pub.attempts + (client.calls - callsBefore);
      if (error instanceof NotPublishable) {
        await this.jobs.complete(job);
      } else if (error instanceof PfError && !error.retryable) {
        // Property Finder refused the content itself (400/422/404…): retrying the same body is useless.
        this.logger.warn(`${listing.reference}: Property Finder refused it: ${error.message}`);
        await this.update(pub, listing, { state: 'rejected', message: error.message, attempts, lastAttemptAt: new Date() });
        await this.jobs.complete(job);
      } else {
        const delay = Math.max(1000, backoff(job.attempts, this.config.SYNDICATION_JOB_RETRY_MS, 15 * 60_000, () => 0.5 + Math.random() / 2));
        const message = `attempt ${job.attempts} failed: ${(error as Error).message}; next try in ${Math.round(delay / 1000)} s`;
        this.logger.warn(`${listing.reference}: ${message}`);
        const patch: PublicationPatch = { message, attempts, lastAttemptAt: new Date() };
        if (job.attempts >= FAILED_AFTER) patch.state = 'failed';
        await this.update(pub, listing, patch);
        await this.jobs.retryLater(job, delay, message);
      }
    }
  }

  /** Writes a change to the publication unless a webhook changed it meanwhile (then it wins). */
  private async update(pub: PublicationEntity, listing: ProjectedListing, patch: PublicationPatch): Promise<void> {
    await this.db.transaction(async () => {
      const current = await this.publications.locked(pub.listingId, pub.portal);
      if (!current) return;
      if (current.version !== pub.version) {
        // Only the bookkeeping of our own call survives a concurrent state change.
        const { portalListingId, attempts, lastAttemptAt, syncedVersion } = patch;
        const keep = Object.fromEntries(Object.entries({ portalListingId, attempts, lastAttemptAt, syncedVersion }).filter(([, v]) => v !== undefined));
        await this.changes.apply(current, keep, listing);
      } else {
        await this.changes.apply(current, patch, listing);
      }
      Object.assign(pub, current);
    });
  }

  private async locationId(client: PfClient, listing: ProjectedListing): Promise<number> {
    const repo = this.db.repository(PfLocationEntity);
    for (const search of locationSearches(listing)) {
      const key = search.toLowerCase();
      const cached = await repo.findOne({ where: { search: key } });
      if (cached) return cached.locationId;
      const found = await client.locations(search);
      const match = found.find((l) => l.name.toLowerCase() === key) ?? (found.length === 1 ? found[0] : undefined);
      if (match) {
        await repo.upsert({ search: key, locationId: match.id, name: match.name, fetchedAt: new Date() }, ['search']);
        return match.id;
      }
    }
    throw new NotPublishable(`no Property Finder location matches ${locationSearches(listing).join(' / ') || 'the listing'}`);
  }

  private async publish(client: PfClient, options: Record<string, string>, listing: ProjectedListing, pub: PublicationEntity): Promise<void> {
    if (blocking(pub.problems).length) throw new NotPublishable('invalid');
    const started = client.calls;
    const attempts = () => pub.attempts + (client.calls - started);
    if (pub.state === 'publishing' && pub.portalListingId && pub.syncedVersion === String(listing.version)) {
      await this.check(client, listing, pub, attempts);
      return;
    }
    let locationId: number;
    try {
      locationId = await this.locationId(client, listing);
    } catch (error) {
      if (error instanceof NotPublishable) await this.update(pub, listing, { state: 'rejected', message: error.message, attempts: attempts(), lastAttemptAt: new Date() });
      throw error;
    }
    const body = toPfListing(listing, locationId, options);
    let id = pub.portalListingId;
    // A listing created by a run that crashed (or timed out) before saving its id: find it by reference.
    const existing = id ? undefined : await client.findByReference(listing.reference);
    id ??= existing?.id ?? null;
    if (!id) {
      try {
        id = (await client.create(body)).id;
      } catch (error) {
        // A create PF carried out but whose answer we lost (then retried: 409 "reference exists",
        // or out of retries): the listing is there, found by its reference; never create it twice.
        const found = error instanceof PfError && (error.status === 409 || error.retryable) ? await client.findByReference(listing.reference).catch(() => undefined) : undefined;
        if (!found) throw error;
        this.logger.warn(`${listing.reference}: create answered ${error instanceof PfError ? error.status : '?'}, but PF has it as ${found.id}: using that`);
        id = found.id;
      }
      this.logger.log(`${listing.reference}: draft ${id} created on Property Finder`);
      await this.update(pub, listing, { portalListingId: id, attempts: attempts(), lastAttemptAt: new Date() });
    } else {
      if (!pub.portalListingId) await this.update(pub, listing, { portalListingId: id, attempts: attempts(), lastAttemptAt: new Date() });
      await client.update(id, body);
    }
    const version = String(listing.version);
    if (pub.state === 'live') {
      await this.update(pub, listing, { message: null, syncedVersion: version, attempts: attempts(), lastAttemptAt: new Date() });
      return;
    }
    await client.publish(id);
    // Publishing is asynchronous: the listing is live only when the webhook says so.
    await this.update(pub, listing, { state: 'publishing', message: 'sent; waiting for Property Finder to publish', syncedVersion: version, attempts: attempts(), lastAttemptAt: new Date() });
  }

  /** Sent and accepted, but no webhook came: ask PF where the listing stands. */
  private async check(client: PfClient, listing: ProjectedListing, pub: PublicationEntity, attempts: () => number): Promise<void> {
    const remote = await client.byId(pub.portalListingId!);
    const state = remote?.state?.type ?? 'missing';
    const stamp = { attempts: attempts(), lastAttemptAt: new Date() };
    if (state === 'live') {
      this.logger.warn(`${listing.reference}: no listing.published webhook came; PF says live`);
      await this.update(pub, listing, { ...stamp, state: 'live', message: 'live (confirmed by a check: no webhook arrived)', liveSince: new Date() });
    } else if (state === 'failed' || state === 'rejected') {
      const reasons = (remote?.state?.reasons ?? []).map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('; ');
      await this.update(pub, listing, { ...stamp, state: 'rejected', message: `Property Finder: ${state}${reasons ? `: ${reasons}` : ''}` });
    } else {
      await this.update(pub, listing, { ...stamp, message: `waiting for Property Finder to publish (state ${state}, checked ${new Date().toISOString()})` });
    }
  }

  private async unpublish(client: PfClient, listing: ProjectedListing, pub: PublicationEntity): Promise<void> {
    const started = client.calls;
    const id = pub.portalListingId ?? (await client.findByReference(listing.reference))?.id ?? null;
    if (id) {
      try {
        await client.unpublish(id);
      } catch (error) {
        // Already off the portal (never published, or removed there): nothing left to do.
        if (!(error instanceof PfError && (error.status === 404 || error.status === 409))) throw error;
      }
    }
    await this.update(pub, listing, { state: 'unpublished', message: null, portalListingId: id, attempts: pub.attempts + (client.calls - started), lastAttemptAt: new Date() });
  }
}
