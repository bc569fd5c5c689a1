import type { INestApplication } from '@nestjs/common';
import { type RunningService, type ServiceDefinition, startService } from '@pace/platform';

/**
 * Starts a real service against `env` (quiet logs unless TEST_LOG_LEVEL is set), on a free port
 * or on `port` when the service must know its own URL beforehand (an OAuth redirect URL).
 */
export function startTestService(definition: ServiceDefinition, env: Record<string, string | undefined>, port = 0): Promise<RunningService> {
  return startService(definition, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', LOG_PRETTY: 'false', ...env }, port);
}

export async function stopAll(...apps: (INestApplication | { app: INestApplication } | undefined)[]): Promise<void> {
  for (const item of apps.reverse()) {
    if (!item) continue;
    await ('app' in item ? item.app : item).close();
  }
}
