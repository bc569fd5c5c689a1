import { z } from 'zod';
import { pageQuery } from '@pace/http';
import { PORTALS } from '@pace/listings-api';

/*
 * The syndication service's internal API contract: request schemas it validates with, and the
 * shapes it answers. The gateway validates with the same objects at the public edge and
 * documents them (OpenAPI, /api/v1/schema).
 */

export const PUBLICATION_STATES = ['pending', 'publishing', 'live', 'rejected', 'unpublished', 'failed'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];

export const portalParam = z.enum(PORTALS, 'must be propertyfinder, bayut or website');

export const publicationsQuery = pageQuery
  .extend({ portal: z.enum(PORTALS).optional(), state: z.enum(PUBLICATION_STATES).optional() })
  .strict();
export type PublicationsQuery = z.infer<typeof publicationsQuery>;

export const portalSettingsBody = z
  .object({
    enabled: z.boolean().optional(),
    credentials: z
      .object({ apiKey: z.string().min(1).max(500), apiSecret: z.string().min(1).max(500), webhookSecret: z.string().min(8).max(32).optional() })
      .strict()
      .nullable()
      .optional()
      .describe('Property Finder only: API key and secret, and the webhook secret (8–32 characters, as PF allows). Stored encrypted; null removes them.'),
    options: z
      .partialRecord(z.enum(['licenseNumber', 'publicProfileId', 'agentName', 'agentPhone', 'agentEmail', 'portals']), z.string().max(200))
      .optional()
      .describe('Not secret: licenseNumber, publicProfileId (Property Finder); agentName, agentPhone, agentEmail, portals (Bayut).'),
  })
  .strict();
export type PortalSettingsBody = z.infer<typeof portalSettingsBody>;

export const validationProblem = z.object({
  field: z.string().describe('The listing field at fault, e.g. `permit.expiryDate` or `media`.'),
  message: z.string(),
  severity: z.enum(['error', 'warning']).describe('Errors keep the listing off that portal; warnings are advice.'),
});

export const portalValidation = z.object({ portal: z.enum(PORTALS), valid: z.boolean(), problems: z.array(validationProblem) });

export const validationReport = z.object({
  listingId: z.uuid(),
  reference: z.string(),
  version: z.number().int().describe('The listing version the report was made from.'),
  portals: z.array(portalValidation),
});

export const openAction = z.object({
  id: z.string(),
  actionType: z.string(),
  status: z.string(),
  message: z.string(),
  expiresAt: z.string().nullable(),
  expireAction: z.string().nullable(),
});

export const portalPublication = portalValidation.extend({
  optedIn: z.boolean().describe('The listing asks to be on this portal.'),
  desiredState: z.enum(['published', 'unpublished']),
  state: z.enum(PUBLICATION_STATES),
  portalListingId: z.string().nullable(),
  message: z.string().nullable().describe("The portal's (or the validator's) last word, e.g. a rejection reason."),
  attempts: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  liveSince: z.string().nullable(),
  changedAt: z.string().nullable(),
  openActions: z.array(openAction).describe("Property Finder compliance actions still open."),
  nextAttemptAt: z.string().nullable().describe('When the next push is due (Property Finder), if one is.'),
  lastError: z.string().nullable(),
});

export const listingPublications = z.object({
  listingId: z.uuid(),
  reference: z.string(),
  version: z.number().int(),
  portals: z.array(portalPublication),
});

export const publicationSummary = z.object({
  listingId: z.uuid(),
  reference: z.string(),
  portal: z.enum(PORTALS),
  desiredState: z.enum(['published', 'unpublished']),
  state: z.enum(PUBLICATION_STATES),
  portalListingId: z.string().nullable(),
  message: z.string().nullable(),
  attempts: z.number().int(),
  changedAt: z.string(),
});

export const portalSettingsView = z.object({
  portal: z.enum(PORTALS),
  enabled: z.boolean(),
  hasCredentials: z.boolean().describe('Credentials are never shown, only whether some are stored.'),
  credentialsKeyId: z.string().nullable().describe('Id of the key that sealed them (rotation: see reseal).'),
  options: z.record(z.string(), z.string()),
  accessTokenRotatedAt: z.string().nullable(),
  updatedAt: z.string(),
});

export const rotatedAccessToken = z.object({
  token: z.string().describe('Shown once; store it in the portal or website now.'),
  rotatedAt: z.string(),
  feedPath: z.string().optional().describe('Bayut: the feed URL path to register with Bayut.'),
  header: z.string().optional().describe('Website: the header that carries the key.'),
});

export const resealResult = z.object({ resealed: z.number().int(), keyId: z.string() });
