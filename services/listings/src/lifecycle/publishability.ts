import type { MissingRequirement } from '../common/errors';
import {
  type Category,
  type CompletionStatus,
  type Emirate,
  type Furnishing,
  type PermitType,
  type Portal,
  type PropertyType,
  type Purpose,
  type RentFrequency,
  amenitiesAllowed,
  hasRooms,
} from '@pace/listings-api';

/**
 * Which emirates require an advertising permit before a listing may be advertised, and which
 * permit types count there. Source: specs/portals.md — §1.3 (`Permit_Number` required for Dubai,
 * DLD rules), §2.4 (PF requires `compliance` when `uaeEmirate` is `dubai` or `abu_dhabi`), §2.6
 * (Dubai: DLD/RERA Trakheesi unit permit; Abu Dhabi: ADREC permit, verified manually). The
 * northern emirates (Sharjah, Ajman, RAK, UAQ, Fujairah) are `northern_emirates` on PF and need no
 * `compliance`; no source names a permit regime for them. DIFC/JAFZA are exempt only from PF's DLD
 * *checks* (§2.6), not from the permit, so no community is exempted here.
 */
export const PERMIT_RULES: Partial<Record<Emirate, readonly PermitType[]>> = {
  dubai: ['rera', 'dtcm'],
  abu_dhabi: ['adrec'],
};

export interface PublishCandidate {
  reference: string;
  purpose: Purpose;
  rentFrequency: RentFrequency | null;
  category: Category;
  propertyType: PropertyType;
  priceFils: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  sizeSqft: number | null;
  emirate: Emirate;
  community: string;
  titleEn: string | null;
  descriptionEn: string | null;
  amenities: string[];
  furnishing: Furnishing | null;
  completionStatus: CompletionStatus;
  permitNumber: string | null;
  permitType: PermitType | null;
  permitIssueDate: string | null;
  permitExpiryDate: string | null;
  agentId: string;
  portals: Portal[];
  imageCount: number;
}

/** Today's calendar date in Dubai (UTC+4, no daylight saving): permits are issued in local dates. */
export function dubaiToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 4 * 3600_000).toISOString().slice(0, 10);
}

/** Whether the permit lets the listing be advertised on `today` (YYYY-MM-DD, Dubai). */
export function permitProblems(c: PublishCandidate, today: string): MissingRequirement[] {
  const accepted = PERMIT_RULES[c.emirate];
  if (!accepted) return [];
  const p = (field: string, message: string): MissingRequirement => ({ field, requiredBy: 'permit', message });
  if (!c.permitNumber) return [p('permit.number', `a ${accepted.join(' or ')} advertising permit is required in ${c.emirate}`)];
  const out: MissingRequirement[] = [];
  if (!c.permitType || !accepted.includes(c.permitType)) {
    out.push(p('permit.type', `a ${c.permitType ?? 'missing'} permit type is not valid in ${c.emirate} (use ${accepted.join(' or ')})`));
  }
  if (!c.permitIssueDate) out.push(p('permit.issueDate', 'the permit issue date is required'));
  else if (c.permitIssueDate > today) out.push(p('permit.issueDate', `the permit is not valid before ${c.permitIssueDate}`));
  if (!c.permitExpiryDate) out.push(p('permit.expiryDate', 'the permit expiry date is required'));
  else if (c.permitExpiryDate < today) out.push(p('permit.expiryDate', `the permit expired on ${c.permitExpiryDate}`));
  return out;
}

const EMOJI_OR_HTML = /<[a-z/!][^>]*>|\p{Extended_Pictographic}/iu;

/**
 * The fields each target portal needs before a listing can go out (specs/portals.md §1.3 for
 * Bayut, §2.4–2.5 for Property Finder, §4 for the website). Fields PACE does not model yet (PF
 * location id and down payment, Bayut off-plan sale details) are syndication's to check.
 */
export function portalProblems(c: PublishCandidate): MissingRequirement[] {
  const out: MissingRequirement[] = [];
  const need = (field: string, requiredBy: string, message: string) => out.push({ field, requiredBy, message });
  if (!c.portals.length) need('portals', 'listing', 'choose at least one portal to publish on');
  // What every target (both portals and the website) needs.
  const all = c.portals.join(', ') || 'listing';
  if (!c.titleEn?.trim()) need('title.en', all, 'an English title is required');
  if (!c.descriptionEn?.trim()) need('description.en', all, 'an English description is required');
  if (!c.priceFils || c.priceFils <= 0) need('price', all, 'a price is required');
  if (c.purpose === 'rent' && !c.rentFrequency) need('rentFrequency', all, 'a rent frequency is required for rentals');
  if (!c.sizeSqft || c.sizeSqft <= 0) need('size', all, 'the size is required');
  if (!c.community.trim()) need('location.community', all, 'the community is required');
  if (c.imageCount < 1) need('media.images', all, 'at least one image is required');
  if (hasRooms(c.propertyType) && c.bathrooms === null) need('bathrooms', all, 'the number of bathrooms is required');
  const portals = new Set(c.portals);
  if (portals.has('bayut') && c.category === 'residential' && hasRooms(c.propertyType) && c.bedrooms === null) {
    need('bedrooms', 'bayut', 'the number of bedrooms is required for residential listings (0 for a studio)');
  }
  if (portals.has('propertyfinder')) {
    if (!c.furnishing) need('furnishing', 'propertyfinder', 'the furnishing is required by Property Finder');
    for (const [field, text] of [
      ['title.en', c.titleEn],
      ['description.en', c.descriptionEn],
    ] as const) {
      if (text && EMOJI_OR_HTML.test(text)) need(field, 'propertyfinder', `Property Finder rejects emojis and HTML in ${field}`);
    }
    const allowed = amenitiesAllowed(c.category, c.propertyType);
    const wrong = c.amenities.filter((a) => !allowed.includes(a));
    if (wrong.length) need('amenities', 'propertyfinder', `Property Finder does not allow ${wrong.join(', ')} on a ${c.category} ${c.propertyType}`);
  }
  return out;
}

/** Everything that stops the listing from being approved for publishing or published today. */
export function publishProblems(c: PublishCandidate, today: string): MissingRequirement[] {
  return [...permitProblems(c, today), ...portalProblems(c)];
}

/** A permit that lapsed before `today` (used by the daily sweep). */
export function permitLapsed(c: Pick<PublishCandidate, 'emirate' | 'permitExpiryDate'>, today: string): boolean {
  return PERMIT_RULES[c.emirate] !== undefined && c.permitExpiryDate !== null && c.permitExpiryDate < today;
}
