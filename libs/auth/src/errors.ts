import { DomainError } from '@pace/http';

/** No (valid) credentials: sign in, or send an API token. */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthorized';
  constructor(
    readonly code: string = 'unauthenticated',
    message = 'Sign in first (session cookie) or send an API token (Authorization: Bearer …).',
  ) {
    super(message);
  }
}

/** Known caller, not allowed to do this. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(
    readonly code: string = 'forbidden',
    message = 'You are not allowed to do this.',
  ) {
    super(message);
  }
}
