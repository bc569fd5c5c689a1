import { randomBytes } from 'node:crypto';

/**
 * Environment for services in one test file to share the run's Pub/Sub emulator without seeing
 * other files' events: a namespace prefixes every topic and subscription.
 */
export function testBusEnv(overrides: Record<string, string> = {}): Record<string, string> {
  if (!process.env.PUBSUB_EMULATOR_HOST) throw new Error('PUBSUB_EMULATOR_HOST is unset: run integration tests through jest (its global setup starts the emulator)');
  return {
    EVENT_BUS: 'pubsub',
    EVENTS_NAMESPACE: `t${randomBytes(4).toString('hex')}.`,
    EVENTS_PROVISION: 'true',
    GOOGLE_CLOUD_PROJECT: 'pace-test',
    OUTBOX_POLL_MS: '250',
    ...overrides,
  };
}
