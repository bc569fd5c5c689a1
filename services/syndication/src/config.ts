import { MIN_SECRET_LENGTH } from '@pace/auth';
import { env as envs, secret, z } from '@pace/config';
import { baseEnv } from '@pace/platform';

/** `kid:base64key,kid2:base64key2` → keys of 32 bytes each, for AES-256-GCM. */
const encryptionKeys = z
  .string()
  .transform((raw, ctx) => {
    const keys: Record<string, Buffer> = {};
    for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [kid, b64] = part.split(':');
      const key = b64 ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
      if (!kid || !/^[A-Za-z0-9_-]{1,32}$/.test(kid) || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of <key id>:<base64 of 32 bytes>' });
        return z.NEVER;
      }
      keys[kid] = key;
    }
    return keys;
  });

export const syndicationEnv = baseEnv.extend({
  /** Shared with the gateway: verifies the signed caller context of the internal routes. */
  CALLER_SIGNING_SECRET: secret(z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`)).optional(),
  /**
   * Keys that encrypt portal credentials at rest. Unset: credentials cannot be stored (the settings
   * API answers 409); portals without credentials (Bayut, website) still work.
   */
  SYNDICATION_ENCRYPTION_KEYS: secret(encryptionKeys).optional(),
  /** The key id new credentials are encrypted with; default: the first of SYNDICATION_ENCRYPTION_KEYS. */
  SYNDICATION_ENCRYPTION_KEY_ID: z.string().min(1).max(32).optional(),
  /** Property Finder Enterprise API base URL (without /v1). */
  PROPERTYFINDER_API_URL: envs.url().default('https://atlas.propertyfinder.com'),
  /**
   * Portals download images themselves, so they need public HTTPS URLs. Only local runs (npm start,
   * where the portals are local fakes and media is served over http by the gateway) turn it off.
   */
  SYNDICATION_REQUIRE_HTTPS_MEDIA: envs.bool(true),
  /** Requests per minute to Property Finder outside the token endpoint (its documented limit is 650). */
  PROPERTYFINDER_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(650).default(600),
  /** Token requests per minute (documented limit 60). */
  PROPERTYFINDER_TOKEN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(60).default(30),
  /** Per-request timeout towards Property Finder (ms). */
  PROPERTYFINDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Retries of one request on 429/5xx/timeouts before the job is rescheduled. */
  PROPERTYFINDER_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  /** First backoff of a retried request (ms); doubles each time, with full jitter. */
  PROPERTYFINDER_RETRY_BASE_MS: z.coerce.number().int().min(1).default(500),
  /** How often the publish worker looks for due jobs (ms); 0 turns the worker off. */
  SYNDICATION_WORKER_POLL_MS: z.coerce.number().int().min(0).default(1000),
  /** First delay before a failed job runs again (ms); doubles per attempt up to 15 minutes. */
  SYNDICATION_JOB_RETRY_MS: z.coerce.number().int().min(1).default(30_000),
  /** A publish with no webhook after this long is checked with a GET (PF: 30–60 s). */
  SYNDICATION_PF_CHECK_AFTER_MS: z.coerce.number().int().min(100).default(60_000),
  /** How long a removed listing stays in the Bayut feed as `deleted` (hours). */
  SYNDICATION_BAYUT_DELETED_RETENTION_HOURS: z.coerce.number().min(0).default(48),
  /** Rows fetched per cursor read when streaming the Bayut feed. */
  SYNDICATION_FEED_BATCH: z.coerce.number().int().min(10).max(10_000).default(500),
});
export type SyndicationConfig = z.infer<typeof syndicationEnv>;

export const SYNDICATION_CONFIG = Symbol('SYNDICATION_CONFIG');
