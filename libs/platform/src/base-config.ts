import { env, z } from '@pace/config';
import { eventsEnv } from '@pace/events';

/** Variables every service reads; a service's schema extends this. */
export const baseEnv = z.object({
  /** Listening port; each service has its own default. */
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
  /** Label of log lines written outside a request (embedded mode runs several services in one process). */
  PROCESS_NAME: z.string().optional(),
  /** Pretty logs; default: when stdout is a terminal. */
  LOG_PRETTY: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  GOOGLE_CLOUD_PROJECT: z.string().optional(),
  /** `cloud-trace` exports OpenTelemetry spans to Google Cloud Trace; `none` only puts trace ids in logs. */
  TRACE_EXPORTER: z.enum(['none', 'cloud-trace']).default('none'),
  /** Share of new traces recorded (0–1); a caller's sampling decision is followed. */
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  DATABASE_URL: env.databaseUrl(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Run pending migrations (under an advisory lock) before serving. Off in the cluster, where a Job does it. */
  MIGRATE_ON_START: env.bool(true),
  /** Milliseconds a SIGTERM may take to finish in-flight work before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
}).extend(eventsEnv.shape);
export type BaseConfig = z.infer<typeof baseEnv>;
