import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { type Caller, UnauthenticatedError, type UserCaller } from '@pace/auth';

/** What the identify guard learned about the request. */
export interface RequestAuth {
  caller?: Caller;
  /** How the caller authenticated. */
  via?: 'session' | 'token';
  /** Session id (cookie-authenticated requests). */
  sessionId?: string;
  /** Server-side CSRF token of that session. */
  csrfToken?: string;
  /** Why presented credentials were refused (answered only if the route needs a caller). */
  refused?: UnauthenticatedError;
  /** Rate-limit key: the user, the token, or the client address. */
  rateKey: string;
}

export type AuthedRequest = Request & { auth?: RequestAuth };

/** The authenticated caller of the route (its policy guarantees there is one). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthedRequest>().auth?.caller;
  if (!caller) throw new UnauthenticatedError();
  return caller;
});

/** The signed-in person calling the route (routes that machines cannot call). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): UserCaller => {
  const caller = context.switchToHttp().getRequest<AuthedRequest>().auth?.caller;
  if (caller?.kind !== 'user') throw new UnauthenticatedError('sign-in-required', 'This needs a signed-in person, not an API token.');
  return caller;
});

export const CurrentAuth = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestAuth | undefined => context.switchToHttp().getRequest<AuthedRequest>().auth,
);
