import type { INestApplication } from '@nestjs/common';
import { type RunningService, type ServiceDefinition, startService } from '@pace/platform';

/** Starts a real service on a free port against `env` (quiet logs unless TEST_LOG_LEVEL is set). */
export function startTestService(definition: ServiceDefinition, env: Record<string, string | undefined>): Promise<RunningService> {
  return startService(definition, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', LOG_PRETTY: 'false', ...env }, 0);
}

export async function stopAll(...apps: (INestApplication | { app: INestApplication } | undefined)[]): Promise<void> {
  for (const item of apps.reverse()) {
    if (!item) continue;
    await ('app' in item ? item.app : item).close();
  }
}
