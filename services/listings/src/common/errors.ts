import { DomainError } from '@pace/http';

export class VersionRequiredError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'version-required';
  constructor() {
    super('Send the version you edited, as an If-Match header ("3") or a `version` field, so concurrent edits cannot overwrite each other.');
  }
}

export interface MissingRequirement {
  /** Field (dot path) or rule, e.g. `permit.expiryDate`, `media.images`. */
  field: string;
  /** Which target needs it: `permit`, `propertyfinder`, `bayut`, `website`, `listing`. */
  requiredBy: string;
  message: string;
}

/** Approving for publishing, publishing or re-opening needs a valid permit and the portal fields. */
export class ListingNotPublishableError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'listing-not-publishable';
  override readonly details: Record<string, unknown>;
  constructor(reference: string, missing: MissingRequirement[]) {
    super(`Listing ${reference} cannot be published yet: ${missing.map((m) => m.message).join('; ')}.`);
    this.details = { missing };
  }
}

export class TransitionNotAllowedError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'transition-not-allowed';
  override readonly details: Record<string, unknown>;
  constructor(status: string, action: string, allowed: string[], reason?: string) {
    super(reason ?? `A listing in status "${status}" cannot be sent "${action}"; allowed now: ${allowed.join(', ') || 'nothing'}.`);
    this.details = { listingStatus: status, action, allowedActions: allowed };
  }
}

export class InvalidListingError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'validation-failed';
  override readonly details: Record<string, unknown>;
  constructor(errors: { field: string; message: string }[]) {
    super('The request is not valid; see `errors` for each field.');
    this.details = { errors };
  }
}
