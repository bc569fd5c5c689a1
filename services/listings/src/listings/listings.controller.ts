import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Page } from '@pace/database';
import { ANY_ROLE, Allow } from '@pace/auth';
import { ZodPipe } from '@pace/http';
import { type Caller, CurrentCaller } from '../common/caller';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { SearchService } from '../search/search.service';
import {
  type CreateListing,
  type ListingSummary,
  type ListingView,
  type SearchQuery,
  type TransitionBody,
  type UpdateListing,
  createListingBody,
  listingId,
  searchQuery,
  transitionBody,
  updateListingBody,
  versionFromIfMatch,
} from '@pace/listings-api';
import { ListingsService } from './listings.service';

/** ETag = the version, so a client can send it back as If-Match. */
function withEtag(res: Response, view: ListingView): ListingView {
  res.setHeader('ETag', `"${view.version}"`);
  return view;
}

@Controller('listings')
export class ListingsController {
  constructor(
    private readonly listings: ListingsService,
    private readonly lifecycle: LifecycleService,
    private readonly searches: SearchService,
  ) {}

  @Post()
  @HttpCode(201)
  @Allow({ roles: ANY_ROLE })
  async create(
    @CurrentCaller() caller: Caller,
    @Body(new ZodPipe(createListingBody)) body: CreateListing,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListingView> {
    return withEtag(res, await this.listings.create(caller, body));
  }

  /** Search: filters, sort, cursor pages, full text; always within the caller's visibility. */
  @Get()
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  search(@CurrentCaller() caller: Caller, @Query(new ZodPipe(searchQuery)) query: SearchQuery): Promise<Page<ListingSummary>> {
    return this.searches.search(caller, query);
  }

  @Get(':id')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  async get(@CurrentCaller() caller: Caller, @Param('id', new ZodPipe(listingId)) id: string, @Res({ passthrough: true }) res: Response): Promise<ListingView> {
    return withEtag(res, await this.listings.get(caller, id));
  }

  @Patch(':id')
  @Allow({ roles: ANY_ROLE })
  async update(
    @CurrentCaller() caller: Caller,
    @Param('id', new ZodPipe(listingId)) id: string,
    @Body(new ZodPipe(updateListingBody)) body: UpdateListing,
    @Headers('if-match') ifMatchHeader: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListingView> {
    return withEtag(res, await this.listings.update(caller, id, body, versionFromIfMatch(ifMatchHeader)));
  }

  @Get(':id/prices')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  prices(@CurrentCaller() caller: Caller, @Param('id', new ZodPipe(listingId)) id: string) {
    return this.listings.priceHistory(caller, id);
  }

  /** Moves the listing through its lifecycle: submit, approve, reject, publish, … */
  @Post(':id/transitions')
  @HttpCode(200)
  @Allow({ roles: ANY_ROLE })
  async transition(
    @CurrentCaller() caller: Caller,
    @Param('id', new ZodPipe(listingId)) id: string,
    @Body(new ZodPipe(transitionBody)) body: TransitionBody,
    @Headers('if-match') ifMatchHeader: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListingView> {
    return withEtag(res, await this.lifecycle.transition(caller, id, { ...body, version: versionFromIfMatch(ifMatchHeader) ?? body.version }));
  }
}
