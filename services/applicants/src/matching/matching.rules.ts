import type { RequirementsView } from '../applicants/applicant.dto';

/**
 * Which advertised listings fit an applicant's requirements, and how well: hard filters (all
 * must hold) and a 0–100 score with the reasons a person reads. Pure: the repository's SQL
 * prefilter applies the same hard filters set-based; this function is the rule of record.
 */

/** Prices may go this far past the budget (over the maximum, under the minimum) and still match. */
export const TOLERANCE_TENTHS = 1;
export const BUDGET_TOLERANCE = TOLERANCE_TENTHS / 10;

/** A score change smaller than this is not worth an event (the set changing always is). */
export const MATERIAL_SCORE_CHANGE = 5;

export const WEIGHTS = { price: 35, bedrooms: 20, community: 20, furnishing: 10, moveIn: 15 } as const;

/** What matching needs of an applicant. Money in fils; rent budgets are per year. */
export interface MatchApplicant extends RequirementsView {
  status: string;
  mergedInto: string | null;
}

/** What matching needs of a listing (from its projection). */
export interface MatchListing {
  status: string;
  purpose: string;
  propertyType: string;
  bedrooms: number | null;
  /** The price as a budget compares it: a sale price, or a rent per year. */
  comparablePriceFils: number | null;
  community: string;
  subCommunity: string;
  furnishing: string;
  completionStatus: string;
}

export interface Match {
  score: number;
  reasons: string[];
}

const PERIODS_PER_YEAR: Record<string, number> = { yearly: 1, monthly: 12, weekly: 52, daily: 365 };

/** A rent as a yearly amount (budgets for rentals are yearly); a sale price as is. */
export function comparablePrice(purpose: string, rentFrequency: string, priceFils: number | null): number | null {
  if (priceFils === null) return null;
  return purpose === 'rent' ? priceFils * (PERIODS_PER_YEAR[rentFrequency] ?? 1) : priceFils;
}

export const PURPOSE_OF_INTENT: Record<string, string> = { buy: 'sale', rent: 'rent' };
/** The applicant's furnishing words and the listing's. */
const FURNISHING: Record<string, string> = { furnished: 'furnished', unfurnished: 'unfurnished', partly: 'semi-furnished' };
export const CLOSED_STATUSES = ['won', 'lost'];

const norm = (s: string) => s.trim().toLowerCase();

/** "AED 2.4M", "AED 145K", "AED 950". */
export function aed(fils: number): string {
  const dirhams = fils / 100;
  if (dirhams >= 1_000_000) return `AED ${trim(dirhams / 1_000_000)}M`;
  if (dirhams >= 1_000) return `AED ${trim(dirhams / 1_000)}K`;
  return `AED ${Math.round(dirhams)}`;
}
const trim = (n: number) => String(Math.round(n * 100) / 100);

const range = (min: number | null, max: number | null) =>
  min !== null && max !== null ? (min === max ? `${min}` : `${min}–${max}`) : min !== null ? `${min} or more` : `up to ${max}`;

/** Whether the applicant takes part in matching at all. */
export function seeking(a: MatchApplicant): boolean {
  return a.mergedInto === null && !CLOSED_STATUSES.includes(a.status) && a.intent !== null && a.intent in PURPOSE_OF_INTENT;
}

/** The match of a listing for an applicant, or null when a hard filter fails. */
export function evaluate(a: MatchApplicant, l: MatchListing): Match | null {
  if (!seeking(a) || l.status !== 'published') return null;
  if (PURPOSE_OF_INTENT[a.intent!] !== l.purpose) return null;
  if (a.propertyTypes.length && !a.propertyTypes.includes(l.propertyType)) return null;
  const wantsBedrooms = a.bedroomsMin !== null || a.bedroomsMax !== null;
  if (wantsBedrooms) {
    if (l.bedrooms === null) return null;
    if (a.bedroomsMin !== null && l.bedrooms < a.bedroomsMin) return null;
    if (a.bedroomsMax !== null && l.bedrooms > a.bedroomsMax) return null;
  }
  const price = l.comparablePriceFils;
  const hasBudget = a.budgetMinFils !== null || a.budgetMaxFils !== null;
  if (hasBudget) {
    if (price === null) return null;
    // In integers (tenths), exactly as the SQL prefilter compares them.
    if (a.budgetMaxFils !== null && price * 10 > a.budgetMaxFils * (10 + TOLERANCE_TENTHS)) return null;
    if (a.budgetMinFils !== null && price * 10 < a.budgetMinFils * (10 - TOLERANCE_TENTHS)) return null;
  }
  const wanted = a.communities.map(norm);
  const place = [l.subCommunity, l.community].find((c) => c && wanted.includes(norm(c)));
  if (wanted.length && !place) return null;

  const reasons: string[] = [];
  let score = 0;

  // Price: inside the budget is best; past it (within the tolerance) costs points the further it goes.
  const perYear = l.purpose === 'rent' ? ' a year' : '';
  if (hasBudget && price !== null) {
    const max = a.budgetMaxFils;
    const min = a.budgetMinFils;
    if (max !== null && price > max) {
      const over = (price - max) / max;
      score += WEIGHTS.price * (1 - 0.7 * (over / BUDGET_TOLERANCE));
      reasons.push(`${aed(price)}${perYear}, ${percent(over)} over budget`);
    } else if (min !== null && price < min) {
      score += WEIGHTS.price * 0.6;
      reasons.push(`${aed(price)}${perYear}, ${percent((min - price) / min)} under the minimum budget`);
    } else {
      score += WEIGHTS.price;
      reasons.push(max !== null ? `${aed(price)}${perYear}, ${price === max ? 'at' : `${percent((max - price) / max)} under`} budget` : `${aed(price)}${perYear}, within budget`);
    }
  } else {
    score += WEIGHTS.price * 0.5;
    if (price !== null) reasons.push(`${aed(price)}${perYear}`);
  }

  if (wantsBedrooms && l.bedrooms !== null) {
    score += WEIGHTS.bedrooms;
    reasons.push(`${bedroomsText(l.bedrooms)}, within ${range(a.bedroomsMin, a.bedroomsMax)}`);
  } else {
    score += WEIGHTS.bedrooms * 0.5;
    if (l.bedrooms !== null) reasons.push(bedroomsText(l.bedrooms));
  }

  if (place) {
    score += WEIGHTS.community;
    reasons.push(`in ${place}, a preferred community`);
  } else {
    score += WEIGHTS.community * 0.5;
    if (l.community) reasons.push(`in ${l.community}`);
  }

  const wantedFurnishing = a.furnishing ? FURNISHING[a.furnishing] : undefined;
  if (wantedFurnishing && l.furnishing === wantedFurnishing) {
    score += WEIGHTS.furnishing;
    reasons.push(`${l.furnishing} as wanted`);
  } else if (wantedFurnishing && l.furnishing) {
    reasons.push(`${l.furnishing}, wanted ${wantedFurnishing}`);
  } else {
    score += WEIGHTS.furnishing * 0.5;
  }

  if (a.moveInDate) {
    if (l.completionStatus === 'ready') {
      score += WEIGHTS.moveIn;
      reasons.push('ready, move-in date fits');
    } else {
      score += WEIGHTS.moveIn * 0.2;
      reasons.push(`off-plan, wanted to move in from ${a.moveInDate}`);
    }
  } else {
    score += WEIGHTS.moveIn * (l.completionStatus === 'ready' ? 0.6 : 0.5);
    if (l.completionStatus === 'off_plan') reasons.push('off-plan');
  }

  return { score: Math.max(0, Math.min(100, Math.round(score))), reasons };
}

const percent = (fraction: number) => `${Math.max(1, Math.round(fraction * 100))}%`;
const bedroomsText = (n: number) => (n === 0 ? 'studio' : `${n} bedroom${n === 1 ? '' : 's'}`);

export interface MatchDiff {
  added: string[];
  removed: string[];
  /** Ids whose score moved by at least MATERIAL_SCORE_CHANGE. */
  rescored: string[];
}

/** How one applicant's (or listing's) set of matches changed: keyed by the other side's id. */
export function diff(before: Map<string, number>, after: Map<string, number>): MatchDiff {
  const added = [...after.keys()].filter((k) => !before.has(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
  const rescored = [...after.entries()].filter(([k, s]) => before.has(k) && Math.abs(before.get(k)! - s) >= MATERIAL_SCORE_CHANGE).map(([k]) => k).sort();
  return { added, removed, rescored };
}

export const changed = (d: MatchDiff) => d.added.length > 0 || d.removed.length > 0 || d.rescored.length > 0;
