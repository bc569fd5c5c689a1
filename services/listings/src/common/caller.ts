import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import {
  CALLER_HEADER,
  CALLER_SIGNATURE_HEADER,
  type Caller as SignedInCaller,
  CallerSignatureError,
  ForbiddenError,
  UnauthenticatedError,
  decide,
  describeCaller,
  policyOf,
  verifyCaller,
} from '@pace/auth';

/**
 * Who is calling. The ONE place that reads identity: the gateway signs the caller's context
 * (`@pace/auth`: HMAC under CALLER_SIGNING_SECRET, audience `listings`, seconds-long expiry) into
 * the `x-pace-caller` / `x-pace-caller-sig` headers; this guard verifies it, checks the route's
 * policy (`@Allow`, `@AdminOnly`, `@Public`; a route without one is refused), and hands the rest
 * of the service a plain `Caller`.
 */
export type Role = 'agent' | 'manager' | 'admin' | 'service';

export interface Caller {
  /** The user's id, or the API token id of a machine. */
  userId: string;
  /** `service` is a machine (AI suite, Salesforce adapter) holding the `listings:read` scope. */
  role: Role;
  /** Teams the user belongs to (a Manager may lead several). */
  teamIds: string[];
}

export function toCaller(caller: SignedInCaller): Caller {
  return caller.kind === 'user'
    ? { userId: caller.id, role: caller.role, teamIds: [...caller.teamIds] }
    : { userId: caller.id, role: 'service', teamIds: [] };
}

export const LISTINGS_AUDIENCE = 'listings';
export const CALLER_SECRET = Symbol('CALLER_SECRET');

type WithCaller = Request & { paceCaller?: Caller };

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

@Injectable()
export class CallerGuard implements CanActivate {
  private readonly logger = new Logger('caller');

  constructor(@Inject(CALLER_SECRET) private readonly secret: string | undefined) {
    if (!secret) this.logger.warn('CALLER_SIGNING_SECRET is unset: every API call will be refused (401)');
  }

  canActivate(context: ExecutionContext): boolean {
    const policy = policyOf(context.getHandler(), context.getClass());
    if (policy?.public) return true;
    const req = context.switchToHttp().getRequest<WithCaller>();
    let caller: SignedInCaller;
    try {
      if (!this.secret) throw new CallerSignatureError('bad-signature');
      caller = verifyCaller(
        { value: header(req, CALLER_HEADER), signature: header(req, CALLER_SIGNATURE_HEADER) },
        { secret: this.secret, audience: LISTINGS_AUDIENCE },
      );
    } catch (error) {
      const reason = error instanceof CallerSignatureError ? error.reason : 'malformed';
      if (reason !== 'missing') this.logger.warn(`${req.method} ${req.path}: caller context rejected (${reason})`);
      throw new UnauthenticatedError(`caller-context-${reason}`, `The request carries no valid caller context (${reason}); call through the gateway.`);
    }
    if (decide(policy, caller) !== 'allow') {
      throw new ForbiddenError('forbidden', `${describeCaller(caller)} may not ${req.method} ${req.path}.`);
    }
    req.paceCaller = toCaller(caller);
    return true;
  }
}

/** `@CurrentCaller() caller: Caller` in a controller method, after the guard let the request in. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<WithCaller>().paceCaller;
  if (!caller) throw new UnauthenticatedError('caller-context-missing', 'No verified caller accompanies this request.');
  return caller;
});

/** The actor recorded in audit rows for work nobody asked for (the permit sweep). */
export const SYSTEM_ACTOR = { userId: 'system', role: 'system' } as const;
