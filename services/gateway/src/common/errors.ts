import { DomainError, type DomainErrorKind } from '@pace/http';

/** A refusal with a stable code and a message the client can act on (mapped to problem+json at the edge). */
export class ApiError extends DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    override readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
