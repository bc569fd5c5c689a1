/**
 * Typed domain errors. Services throw these; one filter at the edge maps `kind` to a status.
 * The message is meant for the API client: say what is wrong and, where possible, how to fix it.
 */
export type DomainErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'gone' | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** A stable, machine-readable code, e.g. `applicant-not-found`. */
  abstract readonly code: string;
  /** Extra members for the problem body (never personal data). */
  readonly details?: Record<string, unknown>;
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  readonly code: string;
  constructor(entity: string, id: string) {
    super(`${entity} ${id} does not exist or is not visible to you.`);
    this.code = `${entity.toLowerCase()}-not-found`;
  }
}

export interface FieldProblem {
  /** JSON pointer-ish path of the field, e.g. `phones.1`. */
  field: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'validation-failed';
  constructor(
    readonly errors: FieldProblem[],
    message = 'The request is not valid; see `errors` for each field.',
  ) {
    super(message);
  }
}

/** Optimistic concurrency: the client edited a version that someone else has changed since. */
export class VersionConflictError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'version-conflict';
  override readonly details: Record<string, unknown>;
  constructor(entity: string, id: string, expected: number, actual: number) {
    super(`${entity} ${id} is at version ${actual}, not ${expected}: someone changed it meanwhile; reload and retry.`);
    this.details = { currentVersion: actual };
  }
}

/**
 * A problem answered by a backing service, relayed to the client as it was (status, code,
 * `errors`, extra members), so a domain service's refusal reads the same through the gateway.
 */
export class RelayedProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.detail === 'string' ? body.detail : `backing service answered ${status}`);
  }
}
