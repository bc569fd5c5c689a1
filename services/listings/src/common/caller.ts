import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { type Caller as SignedInCaller, UnauthenticatedError } from '@pace/auth';

/**
 * Who is calling. The gateway signs the caller's context (`@pace/auth`: HMAC under
 * CALLER_SIGNING_SECRET, audience `listings`, seconds-long expiry) into the `x-pace-caller` /
 * `x-pace-caller-sig` headers; `@pace/auth`'s SignedCallerGuard verifies it and checks the route's
 * policy (`@Allow`, `@AdminOnly`, `@Public`; a route without one is refused); the rest of the
 * service sees this plain `Caller`.
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

/**
 * The guard is `@pace/auth`'s SignedCallerGuard (audience `listings`), registered as the app
 * guard in `ListingsModule`; this turns the verified caller into the service's own `Caller`.
 */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<Request & { paceCaller?: SignedInCaller }>().paceCaller;
  if (!caller) throw new UnauthenticatedError('caller-context-missing', 'No verified caller accompanies this request.');
  return toCaller(caller);
});

/** The actor recorded in audit rows for work nobody asked for (the permit sweep). */
export const SYSTEM_ACTOR = { userId: 'system', role: 'system' } as const;
