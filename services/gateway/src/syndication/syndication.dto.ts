import {
  listingPublications,
  portalSettingsBody,
  portalSettingsView,
  publicationSummary,
  resealResult,
  rotatedAccessToken,
  validationReport,
} from '@pace/syndication-api';
import { z } from 'zod';
import { pageOf, requestSchema, responseSchema } from '../api/registry';

/*
 * The public shape of portal status, validation and settings: the syndication API's own schemas
 * (`@pace/syndication-api`), named for OpenAPI and /api/v1/schema.
 */
export const listingPublicationsView = responseSchema(
  'ListingPublications',
  'Where a listing stands on every portal: what PACE wants there, what the portal has, the portal\'s last message, attempts, open compliance actions, and the validation report that decides whether it may be sent.',
  listingPublications,
);
export const validationReportView = responseSchema(
  'ListingValidationReport',
  'Per portal: whether the listing may be sent, and every problem (errors keep it off that portal; warnings are advice). Fix these before the portal rejects the listing.',
  validationReport,
);
export const publicationPage = pageOf('PublicationPage', responseSchema('Publication', 'One listing on one portal.', publicationSummary), 'publications (by last change)');
export const portalSettings = responseSchema('PortalSettings', 'A portal\'s settings. Credentials are never returned.', portalSettingsView);
export const portalSettingsList = responseSchema('PortalSettingsList', 'Settings of every portal.', z.object({ items: z.array(portalSettings) }));
export const portalSettingsChange = requestSchema(
  'PortalSettingsChange',
  'Turns a portal on or off, stores its credentials (encrypted at rest with AES-256-GCM) and options. Turning a portal on re-evaluates every listing for it.',
  portalSettingsBody,
);
export const accessToken = responseSchema('PortalAccessToken', 'A new Bayut feed token or website API key, shown once; the previous one stops working at once.', rotatedAccessToken);
export const reseal = responseSchema('CredentialsResealed', 'How many stored credentials were re-encrypted with the active key.', resealResult);
