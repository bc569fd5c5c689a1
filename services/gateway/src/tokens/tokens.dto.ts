import { z } from 'zod';
import { SCOPE_NAMES, SCOPES } from '@pace/auth';
import { requestSchema, responseSchema } from '../api/registry';

const scope = z.enum(SCOPE_NAMES as [string, ...string[]]).describe(
  Object.entries(SCOPES)
    .map(([name, text]) => `\`${name}\`: ${text}`)
    .join(' '),
);

export const servicePrincipalView = responseSchema(
  'ServicePrincipal',
  'A machine that calls the API with tokens (Salesforce adapter, AI backend, an MCP server).',
  z.object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(['active', 'deactivated']).describe('deactivated: every token of it stopped working.'),
    createdAt: z.iso.datetime(),
  }),
);
export type ServicePrincipalView = z.infer<typeof servicePrincipalView>;
export const servicePrincipalList = responseSchema('ServicePrincipalList', 'Every service principal.', z.object({ items: z.array(servicePrincipalView) }));

export const createServicePrincipalBody = requestSchema(
  'ServicePrincipalCreation',
  'A new machine principal.',
  z
    .object({
      name: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, e.g. salesforce-adapter'),
      description: z.string().trim().max(500).optional(),
    })
    .strict(),
);
export type CreateServicePrincipal = z.infer<typeof createServicePrincipalBody>;

export const apiTokenView = responseSchema(
  'ApiToken',
  'An API token, without its secret (that is shown once, at creation).',
  z.object({
    id: z.uuid(),
    principalId: z.uuid(),
    prefix: z.string().describe('The first characters of the token, to tell tokens apart.'),
    scopes: z.array(scope),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable().describe('Recorded at most once a minute.'),
    createdAt: z.iso.datetime(),
  }),
);
export type ApiTokenView = z.infer<typeof apiTokenView>;
export const apiTokenList = responseSchema('ApiTokenList', 'The tokens of a service principal.', z.object({ items: z.array(apiTokenView) }));

export const createdApiTokenView = responseSchema(
  'CreatedApiToken',
  'A new token. `token` is shown only here: store it in the machine\'s secret store; PACE keeps only its hash.',
  z.object({ token: z.string().describe('Send as `Authorization: Bearer <token>`.'), apiToken: apiTokenView }),
);
export type CreatedApiTokenView = z.infer<typeof createdApiTokenView>;

export const createApiTokenBody = requestSchema(
  'ApiTokenCreation',
  'Scopes and lifetime of a new token.',
  z
    .object({
      scopes: z.array(scope).min(1).max(SCOPE_NAMES.length),
      expiresInDays: z.number().int().min(1).max(365).default(90),
    })
    .strict(),
);
export type CreateApiToken = z.infer<typeof createApiTokenBody>;
