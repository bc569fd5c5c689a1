import { Injectable, Logger } from '@nestjs/common';
import type { ListingSnapshot } from '@pace/contracts';
import { InvalidCursorError, type Keyset, type Page, decodeCursor, toPage } from '@pace/database';
import { NotFoundError } from '@pace/http';
import type { ApplicantEntity } from '../applicants/applicant.entity';
import { requirementsOf } from '../applicants/applicant.view';
import { ApplicantsRepository } from '../applicants/applicants.repository';
import { ListingProjectionEntity } from './listing-projection.entity';
import { MatchingEvents } from './matching.events';
import { type ApplicantMatchRow, type ListingMatchRow, MatchingRepository } from './matching.repository';
import { type Match, type MatchApplicant, type MatchListing, changed, comparablePrice, diff, evaluate, seeking } from './matching.rules';

/** How many best matches a matches-changed event carries. */
export const TOP_MATCHES = 10;

const num = (v: string | null) => (v === null ? null : Number(v));

export function matchApplicant(a: ApplicantEntity): MatchApplicant {
  return { status: a.status, mergedInto: a.mergedInto, ...requirementsOf(a) };
}

export function matchListing(l: ListingProjectionEntity): MatchListing {
  return {
    status: l.status,
    purpose: l.purpose,
    propertyType: l.propertyType,
    bedrooms: l.bedrooms,
    comparablePriceFils: num(l.comparablePriceFils),
    community: l.community,
    subCommunity: l.subCommunity,
    furnishing: l.furnishing,
    completionStatus: l.completionStatus,
  };
}

/** PostgreSQL text cannot hold U+0000. */
const clean = (s: string | undefined) => (s ?? '').split('\u0000').join('');

export function projectionOf(s: ListingSnapshot): ListingProjectionEntity {
  const price = s.price ? String(s.price.amountFils) : null;
  const comparable = comparablePrice(s.purpose, s.rentFrequency, price === null ? null : Number(price));
  return Object.assign(new ListingProjectionEntity(), {
    id: s.id,
    reference: clean(s.reference),
    version: String(s.version),
    status: s.status,
    purpose: s.purpose,
    rentFrequency: s.rentFrequency,
    propertyType: s.propertyType,
    bedrooms: s.bedrooms ?? null,
    priceFils: price,
    comparablePriceFils: comparable === null ? null : String(comparable),
    currency: s.price?.currency || 'AED',
    community: clean(s.location?.community),
    subCommunity: clean(s.location?.subCommunity),
    furnishing: s.furnishing,
    completionStatus: s.completionStatus,
    title: clean(s.title?.en),
    agentId: s.agentId,
    teamId: s.teamId,
    projectedAt: new Date(),
  });
}

/** A ranked list's cursor: (score, id) of the last row given. */
function rankCursor(cursor: string | undefined): Keyset | undefined {
  if (!cursor) return undefined;
  const keyset = decodeCursor(cursor);
  if (typeof keyset.after !== 'number' || !/^[0-9a-f-]{36}$/i.test(keyset.id)) throw new InvalidCursorError('it is not from a list of matches');
  return keyset;
}

const scoresOf = (matches: Map<string, Match>) => new Map([...matches].map(([k, m]) => [k, m.score]));

/**
 * Matches between applicants and advertised listings: recomputed from a listing's side when its
 * snapshot arrives, from an applicant's side when it is created or changed, always inside the
 * transaction of that change (the inbox's, or the applicant command's), with the event.
 */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger('matching');

  constructor(
    private readonly matches: MatchingRepository,
    private readonly applicants: ApplicantsRepository,
    private readonly events: MatchingEvents,
  ) {}

  /** Applies a listing snapshot (in the event's inbox transaction); an older one is ignored. */
  async applyListing(snapshot: ListingSnapshot): Promise<'applied' | 'stale'> {
    const listing = projectionOf(snapshot);
    await this.matches.lockForListing();
    const held = await this.matches.lockedListingVersion(listing.id);
    if (held !== undefined && held >= Number(listing.version)) {
      this.logger.debug(`ignoring listing ${listing.id} v${listing.version}: v${held} already projected`);
      return 'stale';
    }
    await this.matches.saveListing(listing);
    await this.recomputeListing(listing);
    return 'applied';
  }

  /** A listing deleted for good (an import rolled back): it stops being advertised, its matches go. */
  async removeListing(listingId: string, version: number): Promise<void> {
    await this.matches.lockForListing();
    const listing = await this.matches.lockedListing(listingId);
    if (!listing || Number(listing.version) >= version) return;
    Object.assign(listing, { status: 'deleted', version: String(version), projectedAt: new Date() });
    await this.matches.saveListing(listing);
    await this.recomputeListing(listing);
  }

  private async recomputeListing(listing: ListingProjectionEntity): Promise<void> {
    const before = await this.matches.scoresOfListing(listing.id);
    const now = new Map<string, Match>();
    if (listing.status === 'published') {
      const l = matchListing(listing);
      for (const a of await this.matches.candidatesFor(listing)) {
        const match = evaluate(matchApplicant(a), l);
        if (match) now.set(a.id, match);
      }
    }
    await this.matches.replaceForListing(listing.id, now);
    const change = diff(before, scoresOf(now));
    // Per applicant: did this listing arrive, leave, or move materially in its list?
    const affected = [...new Set([...change.added, ...change.removed, ...change.rescored])];
    if (!affected.length) return;
    const [top, versions] = await Promise.all([this.matches.top(affected, TOP_MATCHES), this.matches.versions(affected)]);
    for (const applicantId of affected) {
      const mine = {
        added: change.added.includes(applicantId) ? [listing.id] : [],
        removed: change.removed.includes(applicantId) ? [listing.id] : [],
        rescored: change.rescored.includes(applicantId) ? [listing.id] : [],
      };
      // A match row can outlive its applicant (a row deleted by hand or by an import's rollback):
      // it has just been dropped, and there is no applicant left to tell.
      const version = versions.get(applicantId);
      if (version === undefined) continue;
      await this.events.changed(applicantId, version, mine, top.get(applicantId) ?? [], 'listing');
    }
    this.logger.log(`listing ${listing.reference}: ${now.size} matching applicants (+${change.added.length} −${change.removed.length})`);
  }

  /**
   * Recomputes an applicant's matches in the caller's transaction (create, update, status move,
   * merge). A tombstone or a closed (won/lost) applicant loses them all.
   */
  async recomputeApplicant(applicant: ApplicantEntity): Promise<void> {
    await this.matches.lockForApplicant();
    const before = await this.matches.scoresOfApplicant(applicant.id);
    const a = matchApplicant(applicant);
    const now = new Map<string, Match>();
    if (seeking(a)) {
      for (const listing of await this.matches.candidatesForApplicant(applicant)) {
        const match = evaluate(a, matchListing(listing));
        if (match) now.set(listing.id, match);
      }
    }
    // Stored as computed (reasons may read differently); announced only when it matters.
    await this.matches.replaceForApplicant(applicant.id, now);
    const change = diff(before, scoresOf(now));
    if (!changed(change)) return;
    const top = await this.matches.top([applicant.id], TOP_MATCHES);
    await this.events.changed(applicant.id, applicant.version, change, top.get(applicant.id) ?? [], 'applicant');
  }

  /** The listings that fit a visible applicant, best first. */
  async listingsFor(applicantId: string, limit: number, cursor?: string): Promise<Page<ListingMatchRow>> {
    const applicant = await this.applicants.findById(applicantId);
    if (!applicant) throw new NotFoundError('Applicant', applicantId);
    const rows = await this.matches.listingsOf(applicant.id, limit, rankCursor(cursor));
    return toPage(rows, limit, (r) => ({ after: Number(r.score), id: r.listingId }), (r) => ({ ...r, score: Number(r.score) }));
  }

  /** The applicants a listing fits, best first: only those the caller may see. */
  async applicantsFor(listingId: string, limit: number, cursor?: string): Promise<Page<ApplicantMatchRow>> {
    const rows = await this.matches.applicantsOf(listingId, limit, rankCursor(cursor));
    return toPage(rows, limit, (r) => ({ after: Number(r.score), id: r.applicantId }), (r) => ({ ...r, score: Number(r.score) }));
  }
}
