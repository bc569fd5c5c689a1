import type { DomainErrorKind } from '@pace/http';
import { DomainError } from '@pace/http';

export const STATUSES = ['new', 'contacted', 'qualified', 'viewing', 'offer', 'won', 'lost'] as const;
export type Status = (typeof STATUSES)[number];
export const SOURCES = ['propertyfinder', 'bayut', 'website', 'walk_in', 'referral', 'import'] as const;
export type Source = (typeof SOURCES)[number];
/** Sources whose leads arrive through intake (portal lead id is their idempotency key). */
export const LEAD_SOURCES = ['propertyfinder', 'bayut', 'website'] as const;
export const INTENTS = ['buy', 'rent'] as const;
export const FURNISHINGS = ['furnished', 'unfurnished', 'partly'] as const;
export const PROPERTY_TYPES = ['apartment', 'villa', 'townhouse', 'penthouse', 'duplex', 'studio', 'land', 'office', 'retail', 'warehouse'] as const;

/**
 * The pipeline. Forward moves may skip steps (a walk-in can be qualified on the spot); a deal can
 * fall back one step (a viewing that did not convince); `lost` is reachable from anywhere open
 * (with a reason); won and lost end it, but a lost applicant can be reopened as `contacted`.
 */
const ORDER: Record<Status, number> = { new: 0, contacted: 1, qualified: 2, viewing: 3, offer: 4, won: 5, lost: 6 };

export function canMove(from: Status, to: Status): boolean {
  if (from === to) return false;
  if (from === 'won') return false;
  if (from === 'lost') return to === 'contacted';
  if (to === 'lost' || to === 'won') return true;
  if (to === 'new') return false;
  return ORDER[to] > ORDER[from] || ORDER[to] === ORDER[from] - 1;
}

export class StatusTransitionError extends DomainError {
  readonly kind: DomainErrorKind = 'conflict';
  readonly code = 'status-transition-not-allowed';
  override readonly details: Record<string, unknown>;
  constructor(from: string, to: string) {
    super(`An applicant in status "${from}" cannot move to "${to}".`);
    this.details = { from, to };
  }
}

/** A visible applicant with one of these contacts exists but belongs to someone the caller cannot see. */
export class DuplicateApplicantError extends DomainError {
  readonly kind: DomainErrorKind = 'conflict';
  readonly code = 'applicant-exists';
  override readonly details: Record<string, unknown>;
  constructor(existingId: string) {
    super(`An applicant with this phone number or email already exists (${existingId}) and belongs to another agent; ask your manager to reassign or merge it.`);
    this.details = { duplicateOf: existingId };
  }
}

export class MergeError extends DomainError {
  readonly kind: DomainErrorKind = 'conflict';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class LeadNotYoursError extends DomainError {
  readonly kind: DomainErrorKind = 'conflict';
  readonly code = 'no-lead-to-claim';
  constructor(applicantId: string) {
    super(`Applicant ${applicantId} has no unclaimed lead assigned to you (it may have been claimed or passed on already).`);
  }
}
