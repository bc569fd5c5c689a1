import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { ListingSnapshot } from '@pace/contracts';

// The portals a listing can target are the listings API's vocabulary.
import { type Portal } from '@pace/listings-api';

export { PORTALS, type Portal } from '@pace/listings-api';

export interface ProjectedMedia {
  kind: string;
  position: number;
  url: string;
  contentType: string;
  /** 0 when the snapshot does not say (events from before sizes were sent). */
  sizeBytes: number;
  width: number;
  height: number;
}

/**
 * What syndication keeps of a listing (from its ListingSnapshot): plain JSON, stored as jsonb,
 * read back by the feed without decoding protobuf.
 */
export interface ProjectedListing {
  id: string;
  reference: string;
  status: string;
  purpose: string;
  rentFrequency: string;
  category: string;
  propertyType: string;
  /** Integer fils; null when no price was given. */
  priceFils: number | null;
  currency: string;
  bedrooms: number | null;
  bathrooms: number | null;
  sizeSqft: number | null;
  plotSizeSqft: number | null;
  emirate: string;
  community: string;
  subCommunity: string;
  building: string;
  titleEn: string;
  titleAr: string;
  descriptionEn: string;
  descriptionAr: string;
  amenities: string[];
  furnishing: string;
  completionStatus: string;
  permit: { number: string; type: string; issueDate: string; expiryDate: string } | null;
  agentId: string;
  teamId: string;
  portals: string[];
  media: ProjectedMedia[];
  version: number;
  updatedAt: string;
}

/** PostgreSQL text and jsonb cannot hold U+0000: drop it from every string (nothing shows it anyway). */
function withoutNul<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.split('\u0000').join('') : v))) as T;
}

export function fromSnapshot(s: ListingSnapshot): ProjectedListing {
  return withoutNul({
    id: s.id,
    reference: s.reference,
    status: s.status,
    purpose: s.purpose,
    rentFrequency: s.rentFrequency,
    category: s.category,
    propertyType: s.propertyType,
    priceFils: s.price ? Number(s.price.amountFils) : null,
    currency: s.price?.currency || 'AED',
    bedrooms: s.bedrooms ?? null,
    bathrooms: s.bathrooms ?? null,
    sizeSqft: s.sizeSqft ?? null,
    plotSizeSqft: s.plotSizeSqft ?? null,
    emirate: s.location?.emirate ?? '',
    community: s.location?.community ?? '',
    subCommunity: s.location?.subCommunity ?? '',
    building: s.location?.building ?? '',
    titleEn: s.title?.en ?? '',
    titleAr: s.title?.ar ?? '',
    descriptionEn: s.description?.en ?? '',
    descriptionAr: s.description?.ar ?? '',
    amenities: [...s.amenities],
    furnishing: s.furnishing,
    completionStatus: s.completionStatus,
    permit: s.permit ? { number: s.permit.number, type: s.permit.type, issueDate: s.permit.issueDate, expiryDate: s.permit.expiryDate } : null,
    agentId: s.agentId,
    teamId: s.teamId,
    portals: [...s.portals],
    media: [...s.media]
      .sort((a, b) => (a.kind === b.kind ? a.position - b.position : a.kind.localeCompare(b.kind)))
      .map((m) => ({ kind: m.kind, position: m.position, url: m.url, contentType: m.contentType, sizeBytes: Number(m.sizeBytes), width: m.width, height: m.height })),
    version: Number(s.version),
    updatedAt: (s.updatedAt ? timestampDate(s.updatedAt) : new Date()).toISOString(),
  });
}

export const imagesOf = (l: ProjectedListing) => l.media.filter((m) => m.kind === 'image');
export const floorPlansOf = (l: ProjectedListing) => l.media.filter((m) => m.kind === 'floor_plan');

/** Whether PACE wants the listing on `portal`: it is advertised and opted in to that portal. */
export function wantedOn(l: ProjectedListing, portal: Portal): boolean {
  return l.status === 'published' && l.portals.includes(portal);
}
