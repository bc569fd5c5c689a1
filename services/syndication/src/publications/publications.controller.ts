import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { AdminOnly, Allow } from '@pace/auth';
import { Db, InvalidCursorError, decodeCursor, toPage } from '@pace/database';
import { NotFoundError, ValidationError, ZodPipe } from '@pace/http';
import { type PortalSettingsBody, type PublicationsQuery, portalParam, portalSettingsBody, publicationsQuery } from '@pace/syndication-api';
import { PORTALS, type Portal, wantedOn } from '../projection/listing.model';
import { ProjectionRepository } from '../projection/projection.repository';
import { ProjectionService } from '../projection/projection.service';
import { JobsRepository } from '../propertyfinder/jobs.repository';
import { SettingsService } from '../settings/settings.service';
import { blocking } from '../validation/rules';
import { PortalValidator } from '../validation/validator';
import { PublicationsRepository } from './publications.repository';

const STAFF = { roles: ['agent', 'manager', 'admin'] as const, scopes: ['listings:read'] as const };

/** Internal routes (through the gateway, signed caller context): status, reports, settings. */
@Controller()
export class PublicationsController {
  constructor(
    private readonly db: Db,
    private readonly listings: ProjectionRepository,
    private readonly publications: PublicationsRepository,
    private readonly jobs: JobsRepository,
    private readonly settings: SettingsService,
    private readonly projection: ProjectionService,
    private readonly validator: PortalValidator,
  ) {}

  /** Where a listing stands on every portal, with each portal's validation report. */
  @Get('listings/:id/publications')
  @Allow(STAFF)
  async forListing(@Param('id', new ParseUUIDPipe()) id: string) {
    const listing = await this.listings.find(id);
    if (!listing) throw new NotFoundError('Listing', id);
    const pubs = await this.publications.forListing(id);
    const pending = await this.jobs.pending(id);
    return {
      listingId: id,
      reference: listing.reference,
      version: listing.version,
      portals: PORTALS.map((portal) => {
        const pub = pubs.find((p) => p.portal === portal);
        const job = pending.find((j) => j.portal === portal);
        const problems = this.validator.check(portal, listing);
        return {
          portal,
          optedIn: listing.portals.includes(portal),
          desiredState: pub?.desiredState ?? (wantedOn(listing, portal) ? 'published' : 'unpublished'),
          state: pub?.state ?? 'unpublished',
          portalListingId: pub?.portalListingId ?? null,
          message: pub?.message ?? null,
          attempts: pub?.attempts ?? 0,
          lastAttemptAt: pub?.lastAttemptAt?.toISOString() ?? null,
          liveSince: pub?.liveSince?.toISOString() ?? null,
          changedAt: pub?.changedAt.toISOString() ?? null,
          openActions: pub?.openActions ?? [],
          nextAttemptAt: job ? job.runAt.toISOString() : null,
          lastError: job?.lastError ?? null,
          valid: blocking(problems).length === 0,
          problems,
        };
      }),
    };
  }

  /** The validation report of a listing per portal: what stops it, and advice. */
  @Get('listings/:id/validation')
  @Allow(STAFF)
  async validation(@Param('id', new ParseUUIDPipe()) id: string) {
    const listing = await this.listings.find(id);
    if (!listing) throw new NotFoundError('Listing', id);
    return {
      listingId: id,
      reference: listing.reference,
      version: listing.version,
      portals: PORTALS.map((portal) => {
        const problems = this.validator.check(portal, listing);
        return { portal, valid: blocking(problems).length === 0, problems };
      }),
    };
  }

  @Get('publications')
  @Allow({ roles: ['manager', 'admin'], scopes: ['listings:read'] })
  async list(@Query(new ZodPipe(publicationsQuery)) query: PublicationsQuery) {
    let after;
    if (query.cursor) {
      try {
        after = decodeCursor(query.cursor);
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new ValidationError([{ field: 'cursor', message: error.message }]);
        throw error;
      }
    }
    const rows = await this.publications.page({ portal: query.portal, state: query.state }, query.limit, after);
    return toPage(
      rows,
      query.limit,
      (r) => ({ after: (r.changed_at as Date).toISOString(), id: String(r.id) }),
      (r) => ({
        listingId: r.listing_id,
        reference: r.reference,
        portal: r.portal,
        desiredState: r.desired_state,
        state: r.state,
        portalListingId: r.portal_listing_id,
        message: r.message,
        attempts: r.attempts,
        changedAt: (r.changed_at as Date).toISOString(),
      }),
    );
  }

  @Get('settings/portals')
  @AdminOnly()
  async allSettings() {
    return { items: await Promise.all(PORTALS.map(async (p) => this.settings.view(await this.settings.get(p)))) };
  }

  /** Turns a portal on/off, stores its credentials (sealed) and options; re-evaluates its listings. */
  @Put('settings/portals/:portal')
  @AdminOnly()
  async updateSettings(@Param('portal', new ZodPipe(portalParam)) portal: Portal, @Body(new ZodPipe(portalSettingsBody)) body: PortalSettingsBody) {
    if (body.credentials && portal !== 'propertyfinder') throw new ValidationError([{ field: 'credentials', message: `${portal} takes no credentials (it pulls with a token)` }]);
    const saved = await this.settings.update(portal, body);
    if (body.enabled) await this.reevaluate(portal);
    return this.settings.view(saved);
  }

  /** A new Bayut feed token or website API key, shown once; the old one stops working at once. */
  @Post('settings/portals/:portal/access-token')
  @AdminOnly()
  async rotate(@Param('portal', new ZodPipe(portalParam)) portal: Portal) {
    if (portal === 'propertyfinder') throw new ValidationError([{ field: 'portal', message: 'Property Finder is pushed to; it has no feed token' }]);
    const rotated = await this.settings.rotateAccessToken(portal);
    return { ...rotated, ...(portal === 'bayut' ? { feedPath: `/feeds/bayut/${rotated.token}.xml` } : { header: 'X-API-Key' }) };
  }

  /** After a new encryption key was made active: re-seals stored credentials with it. */
  @Post('settings/reseal')
  @AdminOnly()
  reseal() {
    return this.settings.reseal();
  }

  private async reevaluate(portal: Portal): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const ids = await this.listings.ids(after, 200);
      if (!ids.length) return;
      for (const id of ids) {
        await this.db.transaction(async () => {
          const listing = await this.listings.find(id);
          if (listing) await this.projection.reconcile(listing, portal);
        });
      }
      after = ids[ids.length - 1]!;
    }
  }
}
