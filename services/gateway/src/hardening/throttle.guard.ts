import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { HealthController } from '@pace/platform';
import type { AuthedRequest } from '../auth/request';

/**
 * Rate limits per principal: per user (session), per API token, per client address for
 * everyone else — one budget across all routes, not per route. 429 problem+json with
 * `Retry-After`. Probes and scrapes are not limited (a throttled readiness probe would take the
 * pod out of service).
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as AuthedRequest;
    return Promise.resolve(request.auth?.rateKey ?? `ip:${String(request.ip)}`);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const controller = context.getClass();
    return Promise.resolve(controller === HealthController || controller.name === 'MetricsController');
  }
}
