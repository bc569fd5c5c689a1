import { Controller, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ANY_ROLE, AdminOnly, Allow, type Caller } from '@pace/auth';
import { portalParam, publicationsQuery } from '@pace/syndication-api';
import { Endpoint } from '../api/endpoint';
import { ZodBody, ZodParam, ZodQuery } from '../api/params';
import { CurrentCaller } from '../auth/request';
import { SyndicationClient, queryOf } from '../common/backend.client';
import { accessToken, listingPublicationsView, portalSettings, portalSettingsChange, portalSettingsList, publicationPage, reseal, validationReportView } from './syndication.dto';

const id = z.uuid('must be a listing id (UUID)');
const ERRORS = [400, 401, 403, 404, 502, 504];

/**
 * Portal status, validation reports and portal settings: the syndication service over HTTP with
 * the signed caller context (audience `syndication`). Syndication decides; this edge checks the
 * route's policy and the request's shape, and relays problems unchanged.
 */
@Controller('api/v1')
export class SyndicationController {
  constructor(private readonly syndication: SyndicationClient) {}

  @Get('listings/:id/publications')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  @Endpoint({
    tag: 'syndication',
    summary: 'Where a listing stands on each portal',
    description: 'Live, pending, rejected (with the portal\'s reason), unpublished or failed, per portal; attempts and the next retry; open compliance actions; the validation report.',
    response: listingPublicationsView,
    errors: ERRORS,
  })
  publications(@CurrentCaller() caller: Caller, @ZodParam('id', id) listingId: string, @Res() res: Response): Promise<void> {
    return this.syndication.relayRead(res, caller, `/listings/${listingId}/publications`);
  }

  @Get('listings/:id/validation')
  @Allow({ roles: ANY_ROLE, scopes: ['listings:read'] })
  @Endpoint({
    tag: 'syndication',
    summary: 'Check a listing against each portal\'s rules',
    description: 'Required fields, permit, image count and type, text lengths and allowed values, per portal, before anything is sent.',
    response: validationReportView,
    errors: ERRORS,
  })
  validation(@CurrentCaller() caller: Caller, @ZodParam('id', id) listingId: string, @Res() res: Response): Promise<void> {
    return this.syndication.relayRead(res, caller, `/listings/${listingId}/validation`);
  }

  @Get('publications')
  @Allow({ roles: ['manager', 'admin'], scopes: ['listings:read'] })
  @Endpoint({
    tag: 'syndication',
    summary: 'Publications across listings',
    description: 'Filter by `portal` and `state` (e.g. `state=rejected` for what the portals refused), most recent change first.',
    response: publicationPage,
    errors: [400, 401, 403, 502, 504],
  })
  list(@CurrentCaller() caller: Caller, @ZodQuery(publicationsQuery) _query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.syndication.relayRead(res, caller, `/publications${queryOf(req)}`);
  }

  @Get('admin/portals')
  @AdminOnly()
  @Endpoint({ tag: 'syndication', summary: 'Portal settings', response: portalSettingsList, errors: [401, 403, 502, 504] })
  settings(@CurrentCaller() caller: Caller, @Res() res: Response): Promise<void> {
    return this.syndication.relayRead(res, caller, '/settings/portals');
  }

  @Put('admin/portals/:portal')
  @AdminOnly()
  @Endpoint({
    tag: 'syndication',
    summary: 'Change a portal\'s settings',
    description: '409 `encryption-unavailable` when no encryption key is configured for credentials.',
    response: portalSettings,
    errors: [400, 401, 403, 409, 502, 504],
  })
  update(
    @CurrentCaller() caller: Caller,
    @ZodParam('portal', portalParam) portal: string,
    @ZodBody(portalSettingsChange) _body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.syndication.relay(res, caller, { method: 'PUT', path: `/settings/portals/${portal}`, json: req.body });
  }

  @Post('admin/portals/:portal/access-token')
  @HttpCode(200)
  @AdminOnly()
  @Endpoint({ tag: 'syndication', summary: 'Rotate the Bayut feed token or the website API key', response: accessToken, errors: [400, 401, 403, 502, 504] })
  rotate(@CurrentCaller() caller: Caller, @ZodParam('portal', portalParam) portal: string, @Res({ passthrough: true }) res: Response) {
    return this.syndication.relay(res, caller, { method: 'POST', path: `/settings/portals/${portal}/access-token` });
  }

  @Post('admin/portal-credentials/reseal')
  @HttpCode(200)
  @AdminOnly()
  @Endpoint({
    tag: 'syndication',
    summary: 'Re-encrypt stored portal credentials with the active key',
    description: 'After adding a new key to SYNDICATION_ENCRYPTION_KEYS and making it active (key rotation).',
    response: reseal,
    errors: [401, 403, 502, 504],
  })
  reseal(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    return this.syndication.relay(res, caller, { method: 'POST', path: '/settings/reseal' });
  }
}
