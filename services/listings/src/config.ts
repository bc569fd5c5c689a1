import { MIN_SECRET_LENGTH } from '@pace/auth';
import { env as envs, secret, z } from '@pace/config';
import { baseEnv } from '@pace/platform';

export const listingsEnv = baseEnv.extend({
  /**
   * Shared with the gateway: verifies the signed caller context of every request. Unset, the
   * service fails closed (every API call is 401) — kept optional only until every run mode
   * hands the secret to every service.
   */
  CALLER_SIGNING_SECRET: secret(z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`)).optional(),
  /** First part of every reference: ALS-S-000123. */
  LISTINGS_REFERENCE_PREFIX: z
    .string()
    .regex(/^[A-Z]{2,6}$/, 'must be 2–6 capital letters')
    .default('ALS'),
  /** `local` (a folder, development) or `gcs` (a Google Cloud Storage bucket). */
  LISTINGS_MEDIA_STORE: z.enum(['local', 'gcs']).default('local'),
  /** Folder of the local media store. */
  LISTINGS_MEDIA_DIR: z.string().default('.pace-data/media'),
  /** Bucket of the gcs media store. */
  LISTINGS_MEDIA_BUCKET: z.string().min(3).optional(),
  /** Test-only: a fake GCS JSON API endpoint. */
  LISTINGS_GCS_ENDPOINT: envs.url().optional(),
  /** Public (CDN) base URL of stored media; unset: media are served by this service. */
  LISTINGS_MEDIA_PUBLIC_URL: envs.url().optional(),
  /** Prefix of the content route in media URLs when this service serves them (the gateway's path). */
  LISTINGS_MEDIA_ROUTE_BASE: z.string().default('/api/v1'),
  /** How often each replica checks whether the permit sweep is due (ms); 0 turns the timer off. */
  LISTINGS_PERMIT_SWEEP_CHECK_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** How often the permit sweep runs across all replicas (ms): daily. */
  LISTINGS_PERMIT_SWEEP_EVERY_MS: z.coerce.number().int().min(1000).default(86_400_000),
  /** Seed a few demo listings on start (idempotent); `npm start` turns it on. */
  PACE_DEMO_DATA: envs.bool(false),
});
export type ListingsConfig = z.infer<typeof listingsEnv>;

export const LISTINGS_CONFIG = Symbol('LISTINGS_CONFIG');
