import { Controller, Delete, Get, Headers, HttpCode, Patch, Post, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { noticesQuery, searchFilters, searchQuery, uploadQuery } from '@pace/listings-api';
import { ANY_ROLE, AdminOnly, Allow, type Caller } from '@pace/auth';
import { Endpoint } from '../api/endpoint';
import { ZodBody, ZodParam, ZodQuery } from '../api/params';
import { CurrentCaller } from '../auth/request';
import {
  listing,
  listingChange,
  listingCreation,
  listingPage,
  listingTransition,
  mediaCaption,
  mediaList,
  mediaOrder,
  noticePage,
  priceHistory,
} from './listings.dto';
import { BackendClient, ListingsClient, queryOf } from '../common/backend.client';

const id = z.uuid('must be a listing id (UUID)');
const mediaId = z.uuid('must be a media id (UUID)');
const noticeId = z.uuid('must be a notice id (UUID)');
const ERRORS = [400, 401, 403, 404, 502, 504];
const WRITE_ERRORS = [400, 401, 403, 404, 409, 502, 504];

/**
 * `/api/v1/listings…`: the listings service over HTTP with the signed caller context. The
 * listings service decides what the caller sees and may do (visibility, landlord contacts,
 * lifecycle rules, permits); this edge checks the route's policy and the request's shape, and
 * passes ETags and problems through.
 */
@Controller('api/v1')
export class ListingsController {
  constructor(private readonly listings: ListingsClient) {}

  @Post('listings')
  @HttpCode(201)
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'listings', summary: 'Create a draft listing', status: 201, response: listing, errors: [400, 401, 403, 502, 504] })
  create(@CurrentCaller() caller: Caller, @ZodBody(listingCreation) _body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.listings.relay(res, caller, { method: 'POST', path: '/listings', json: req.body });
  }

  @Get('listings')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  @Endpoint({
    tag: 'listings',
    summary: 'Search listings',
    description: 'Filters, sort, cursor pages and full text (English stemmed, Arabic as written), always within what the caller may see. `scope=stock` adds everyone\'s published listings.',
    response: listingPage,
    errors: ERRORS,
  })
  search(@CurrentCaller() caller: Caller, @ZodQuery(searchQuery, searchFilters) _query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.listings.relayRead(res, caller, `/listings${queryOf(req)}`);
  }

  @Get('listings/:id')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  @Endpoint({ tag: 'listings', summary: 'Read a listing', description: 'With its media, last review and the lifecycle actions the caller may take. `ETag` is its version.', response: listing, errors: ERRORS })
  get(@CurrentCaller() caller: Caller, @ZodParam('id', id) listingId: string, @Res() res: Response): Promise<void> {
    return this.listings.relayRead(res, caller, `/listings/${listingId}`);
  }

  @Patch('listings/:id')
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'listings', summary: 'Change a listing', description: 'Send `If-Match: "<version>"` (or `version`); 409 when someone changed it meanwhile.', response: listing, errors: WRITE_ERRORS })
  update(
    @CurrentCaller() caller: Caller,
    @ZodParam('id', id) listingId: string,
    @ZodBody(listingChange) _body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.listings.relay(res, caller, { method: 'PATCH', path: `/listings/${listingId}`, json: req.body, ifMatch });
  }

  @Get('listings/:id/prices')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  @Endpoint({ tag: 'listings', summary: 'Price history of a listing', response: priceHistory, errors: ERRORS })
  prices(@CurrentCaller() caller: Caller, @ZodParam('id', id) listingId: string, @Res() res: Response): Promise<void> {
    return this.listings.relayRead(res, caller, `/listings/${listingId}/prices`);
  }

  @Post('listings/:id/transitions')
  @HttpCode(200)
  @Allow({ roles: ANY_ROLE })
  @Endpoint({
    tag: 'listings',
    summary: 'Move a listing through its lifecycle',
    description: 'draft → pending_approval → approved → published → under_offer → sold/rented, or withdrawn/expired. 409 `listing-not-publishable` lists what is missing (e.g. a valid permit in Dubai).',
    response: listing,
    errors: WRITE_ERRORS,
  })
  transition(
    @CurrentCaller() caller: Caller,
    @ZodParam('id', id) listingId: string,
    @ZodBody(listingTransition) _body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.listings.relay(res, caller, { method: 'POST', path: `/listings/${listingId}/transitions`, json: req.body, ifMatch });
  }

  @Get('listings/:id/media')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  @Endpoint({ tag: 'listings', summary: 'Media of a listing', response: mediaList, errors: ERRORS })
  mediaList(@CurrentCaller() caller: Caller, @ZodParam('id', id) listingId: string, @Res() res: Response): Promise<void> {
    return this.listings.relayRead(res, caller, `/listings/${listingId}/media`);
  }

  @Post('listings/:id/media')
  @HttpCode(201)
  @Allow({ roles: ANY_ROLE })
  @Endpoint({
    tag: 'listings',
    summary: 'Upload an image or floor plan',
    description: 'The file is the request body: image/jpeg, image/png or image/webp (PDF too for floor plans), at most 15 MB.',
    status: 201,
    response: listing,
    errors: [...WRITE_ERRORS, 413],
  })
  upload(
    @CurrentCaller() caller: Caller,
    @ZodParam('id', id) listingId: string,
    @ZodQuery(uploadQuery) _query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const raw = { stream: req, contentType: req.headers['content-type'] ?? 'application/octet-stream', length: req.headers['content-length'] };
    return this.listings.relay(res, caller, { method: 'POST', path: `/listings/${listingId}/media${queryOf(req)}`, raw, ifMatch });
  }

  @Put('listings/:id/media/order')
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'listings', summary: 'Reorder a listing\'s media', response: listing, errors: WRITE_ERRORS })
  reorder(@CurrentCaller() caller: Caller, @ZodParam('id', id) listingId: string, @ZodBody(mediaOrder) _body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.listings.relay(res, caller, { method: 'PUT', path: `/listings/${listingId}/media/order`, json: req.body });
  }

  @Patch('listings/:id/media/:mediaId')
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'listings', summary: 'Change a media caption', response: listing, errors: WRITE_ERRORS })
  caption(
    @CurrentCaller() caller: Caller,
    @ZodParam('id', id) listingId: string,
    @ZodParam('mediaId', mediaId) item: string,
    @ZodBody(mediaCaption) _body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.listings.relay(res, caller, { method: 'PATCH', path: `/listings/${listingId}/media/${item}`, json: req.body });
  }

  @Delete('listings/:id/media/:mediaId')
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'listings', summary: 'Remove an image or floor plan', response: listing, errors: WRITE_ERRORS })
  removeMedia(
    @CurrentCaller() caller: Caller,
    @ZodParam('id', id) listingId: string,
    @ZodParam('mediaId', mediaId) item: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.listings.relay(res, caller, { method: 'DELETE', path: `/listings/${listingId}/media/${item}`, ifMatch });
  }

  @Get('listings/:id/media/:mediaId/content')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  @Endpoint({ tag: 'listings', summary: 'The bytes of an image or floor plan', responseDescription: 'The file, with its content type.', errors: ERRORS })
  async content(@CurrentCaller() caller: Caller, @ZodParam('id', id) listingId: string, @ZodParam('mediaId', mediaId) item: string, @Res() res: Response): Promise<void> {
    const answer = await this.listings.send(caller, { method: 'GET', path: `/listings/${listingId}/media/${item}/content` });
    for (const [name, value] of BackendClient.passedBack(answer)) res.setHeader(name, value);
    res.status(200).end(Buffer.from(await answer.arrayBuffer()));
  }

  @Get('listing-notices')
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'listings', summary: 'The caller\'s listing notices', description: 'Newest first; `unread=true` for the ones not yet read.', response: noticePage, errors: ERRORS })
  notices(@CurrentCaller() caller: Caller, @ZodQuery(noticesQuery) _query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.listings.relayRead(res, caller, `/listing-notices${queryOf(req)}`);
  }

  @Post('listing-notices/:id/read')
  @HttpCode(204)
  @Allow({ roles: ANY_ROLE })
  @Endpoint({ tag: 'listings', summary: 'Mark a notice read', status: 204, errors: ERRORS })
  async readNotice(@CurrentCaller() caller: Caller, @ZodParam('id', noticeId) notice: string): Promise<void> {
    await this.listings.send(caller, { method: 'POST', path: `/listing-notices/${notice}/read` });
  }

  @Post('listing-jobs/permit-sweep')
  @HttpCode(200)
  @AdminOnly()
  @Endpoint({ tag: 'listings', summary: 'Run the daily permit sweep now', description: 'Expires published listings whose permit lapsed and tells their agents; idempotent.', errors: [401, 403, 502, 504] })
  sweep(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    return this.listings.relay(res, caller, { method: 'POST', path: '/listing-jobs/permit-sweep' });
  }
}
