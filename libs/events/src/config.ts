import { env, z } from '@pace/config';

/**
 * Events per inbox transaction at most. Each transaction costs its round trips (begin, the inbox
 * claim, commit) and its framework work whatever its size: a consumer catching up (the event
 * bench's pipeline) filled batches of 179 events on average with this cap, where every batch was
 * full at 100. A failing handler still costs only itself: its batch is rolled back and handled
 * again one event per transaction.
 */
export const DEFAULT_BATCH_SIZE = 250;

/** Event-bus settings; part of every service's environment (see README). */
export const eventsEnv = z.object({
  /** `pubsub` (Google Cloud Pub/Sub, or its emulator via PUBSUB_EMULATOR_HOST) or `memory` (one process). */
  EVENT_BUS: z.enum(['pubsub', 'memory']).default('pubsub'),
  /** Prefix for topic and subscription names: isolates test runs sharing one emulator. */
  EVENTS_NAMESPACE: z.string().regex(/^([a-z][a-z0-9-]{1,30}\.)?$/, 'lower-case letters, digits, dashes, ending in a dot').default(''),
  EVENTS_MAX_DELIVERY_ATTEMPTS: z.coerce.number().int().min(5).max(100).default(5),
  /** Create missing topics/subscriptions at start (emulator and local runs; the cluster provisions ahead). */
  EVENTS_PROVISION: env.bool(false),
  /** Publish with the aggregate id as Pub/Sub ordering key (consumers order by aggregateVersion either way). */
  EVENTS_ORDERING: env.bool(false),
  EVENTS_MAX_STREAMS: z.coerce.number().int().min(1).max(16).default(4),
  EVENTS_MAX_OUTSTANDING: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Most events a consumer handles in one inbox transaction (those that arrive within 5 ms of each other). */
  EVENTS_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(DEFAULT_BATCH_SIZE),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(500),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  OUTBOX_LISTEN: env.bool(true),
});
export type EventsConfig = z.infer<typeof eventsEnv>;
