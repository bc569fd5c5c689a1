import { createHash } from 'node:crypto';
import { Controller, Get, Headers, Injectable, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Public, UnauthenticatedError } from '@pace/auth';
import { Db, InvalidCursorError, decodeCursor, toPage } from '@pace/database';
import { ValidationError, ZodPipe, pageQuery } from '@pace/http';
import { ListingProjectionEntity } from '../projection/listing.entity';
import { type ProjectedListing, floorPlansOf, imagesOf } from '../projection/listing.model';
import { PublicationEntity } from '../publications/publication.entity';
import { SettingsService } from '../settings/settings.service';
import { notModified } from '../bayut/feed.controller';

/** What the Allsop website gets of a listing (no agent/team ids, no internal status). */
export function websiteListing(l: ProjectedListing, liveSince: Date | null) {
  return {
    id: l.id,
    reference: l.reference,
    purpose: l.purpose,
    rentFrequency: l.rentFrequency || null,
    category: l.category,
    propertyType: l.propertyType,
    price: l.priceFils === null ? null : { amountFils: l.priceFils, currency: l.currency },
    bedrooms: l.bedrooms,
    bathrooms: l.bathrooms,
    size: l.sizeSqft === null ? null : { value: l.sizeSqft, unit: 'sqft' },
    plotSize: l.plotSizeSqft === null ? null : { value: l.plotSizeSqft, unit: 'sqft' },
    location: { emirate: l.emirate, community: l.community, subCommunity: l.subCommunity || null, building: l.building || null },
    title: { en: l.titleEn, ar: l.titleAr || null },
    description: { en: l.descriptionEn, ar: l.descriptionAr || null },
    amenities: l.amenities,
    furnishing: l.furnishing || null,
    completionStatus: l.completionStatus,
    permitNumber: l.permit?.number ?? null,
    images: imagesOf(l).map((m) => m.url),
    floorPlans: floorPlansOf(l).map((m) => m.url),
    updatedAt: l.updatedAt,
    liveSince: liveSince?.toISOString() ?? null,
  };
}

@Injectable()
export class WebsiteRepository {
  constructor(private readonly db: Db) {}

  /** Live website publications in listing-id order after `afterId`. */
  page(limit: number, afterId?: string) {
    const q = this.db.manager
      .createQueryBuilder(PublicationEntity, 'p')
      .innerJoin(ListingProjectionEntity, 'l', 'l.id = p.listing_id')
      .select(['l.id AS id', 'l.data AS data', 'p.live_since AS "liveSince"'])
      .where(`p.portal = 'website' AND p.state = 'live'`)
      .orderBy('l.id')
      .limit(limit + 1);
    if (afterId) q.andWhere('l.id > :afterId', { afterId });
    return q.getRawMany<{ id: string; data: ProjectedListing; liveSince: Date | null }>();
  }
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Allsop website's read API: published listings opted in to `website`, by API key. */
@Controller('portal/v1/listings')
export class WebsiteController {
  constructor(
    private readonly repo: WebsiteRepository,
    private readonly settings: SettingsService,
  ) {}

  @Get()
  @Public()
  async list(@Query(new ZodPipe(pageQuery)) query: z.infer<typeof pageQuery>, @Headers('x-api-key') apiKey: string | undefined, @Req() req: Request, @Res() res: Response) {
    if (!apiKey || !(await this.settings.byAccessToken('website', apiKey))) {
      throw new UnauthenticatedError('api-key-invalid', 'Send the website API key in X-API-Key (an Admin rotates it in the portal settings).');
    }
    let afterId: string | undefined;
    if (query.cursor) {
      try {
        afterId = decodeCursor(query.cursor).id;
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new ValidationError([{ field: 'cursor', message: error.message }]);
        throw error;
      }
      if (!uuid.test(afterId)) throw new ValidationError([{ field: 'cursor', message: 'The cursor is not one this API returned.' }]);
    }
    const rows = await this.repo.page(query.limit, afterId);
    const page = toPage(rows, query.limit, (r) => ({ after: r.id, id: r.id }), (r) => websiteListing(r.data, r.liveSince));
    const body = JSON.stringify(page);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'no-cache');
    if (notModified(req, etag, null)) {
      res.status(304).end();
      return;
    }
    res.status(200).type('application/json').send(body);
  }
}
