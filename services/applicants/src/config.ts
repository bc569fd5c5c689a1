import { MIN_SECRET_LENGTH } from '@pace/auth';
import { env as envs, secret, z } from '@pace/config';
import { baseEnv } from '@pace/platform';

export const DEFAULT_GRPC_PORT = 4101;

export const applicantsEnv = baseEnv.extend({
  /** Port of the gRPC server the gateway calls. */
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_GRPC_PORT),
  /** Shared with the gateway: verifies the signed caller context on every call. */
  CALLER_SIGNING_SECRET: secret(z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`)),
  /** How long an assigned agent has to claim a new lead before it moves to the next agent. */
  LEADS_CLAIM_TIMEOUT_MS: z.coerce.number().int().min(1000).default(15 * 60_000),
  /** How often each replica looks for unclaimed leads past their deadline (0: never). */
  LEADS_SWEEP_EVERY_MS: z.coerce.number().int().min(0).default(60_000),
  /** Seed a few demo applicants on start (idempotent); `npm start` turns it on. */
  PACE_DEMO_DATA: envs.bool(false),
});
export type ApplicantsConfig = z.infer<typeof applicantsEnv>;

export const APPLICANTS_CONFIG = Symbol('APPLICANTS_CONFIG');
