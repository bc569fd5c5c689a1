import { MIN_SECRET_LENGTH } from '@pace/auth';
import { secret, z } from '@pace/config';
import { baseEnv } from '@pace/platform';

const list = (what: string) =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
    .refine((v) => v.length > 0, `give at least one ${what}, comma-separated`);

const minutes = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const gatewayEnv = baseEnv.extend({
  /** host:port of the applicants service's gRPC server. */
  APPLICANTS_GRPC_URL: z.string().regex(/^[\w.-]+:\d+$/, 'must be host:port'),
  /** Shared with every domain service: signs the caller context sent with each gRPC call. */
  CALLER_SIGNING_SECRET: secret(z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`)),
  /** Base URL of the listings service's internal HTTP API. */
  LISTINGS_URL: z.url(),
  /** Base URL of the syndication service's internal HTTP API (portal status, validation, settings). */
  SYNDICATION_URL: z.url(),
  /** Deadline of each call to a domain service (gRPC, or HTTP for listings and syndication). */
  GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
  /** OpenID issuer; its discovery document names the endpoints and keys. */
  OIDC_ISSUER: z.url().default('https://accounts.google.com'),
  OIDC_CLIENT_ID: z.string().min(1),
  OIDC_CLIENT_SECRET: secret(z.string().min(1)).optional(),
  /** The gateway's callback as registered with the provider: https://…/api/v1/auth/callback. */
  OIDC_REDIRECT_URL: z.url(),
  /** Google Workspace domains whose users may sign in (the ID token's `hd`). */
  ALLOWED_DOMAINS: list('domain'),
  /** Emails that become active admins on their first sign-in (the first admin of a new install). */
  BOOTSTRAP_ADMIN_EMAILS: list('email').optional(),
  /** The web frontend: the only origin CORS admits, and where sign-in returns to. */
  FRONTEND_ORIGIN: z.url().optional(),
  SESSION_IDLE_MINUTES: minutes(60, 24 * 60),
  SESSION_ABSOLUTE_MINUTES: minutes(12 * 60, 30 * 24 * 60),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_TOKEN_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Proxies in front of the gateway (the GKE load balancer: 1), so client IPs are read right. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
});
export type GatewayConfig = z.infer<typeof gatewayEnv>;

/** Injection token of the parsed config. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
