import type { Caller } from '../common/caller';
import { allowedActions } from '../lifecycle/lifecycle';
import type { ApprovalEntity } from '../lifecycle/approval.entity';
import type { MediaEntity } from '../media/media.entity';
import type { ListingView, MediaView, PublicationView } from '@pace/listings-api';
import type { ListingPublicationEntity } from '../portals/publication.entity';
import type { ListingEntity } from './listing.entity';
import { seesFully } from './visibility';

export function mediaView(m: MediaEntity, url: string): MediaView {
  return {
    id: m.id,
    kind: m.kind,
    position: m.position,
    caption: { en: m.captionEn, ar: m.captionAr },
    objectKey: m.objectKey,
    contentType: m.contentType,
    sizeBytes: m.sizeBytes,
    width: m.width,
    height: m.height,
    url,
  };
}

export type MediaUrl = (m: MediaEntity) => string;

/**
 * The listing as the API shows it to `caller` (or to no one in particular: `caller` null is an
 * event snapshot, which never carries the landlord's contact).
 */
export function listingView(
  l: ListingEntity,
  media: MediaEntity[],
  review: ApprovalEntity | undefined,
  caller: Caller | null,
  urlOf: MediaUrl,
  publications: ListingPublicationEntity[] = [],
): ListingView {
  const full = caller !== null && seesFully(caller, l);
  const hasLandlord = l.landlordName !== null;
  return {
    id: l.id,
    reference: l.reference,
    status: l.status,
    purpose: l.purpose,
    rentFrequency: l.rentFrequency,
    category: l.category,
    propertyType: l.propertyType,
    price: l.priceFils === null ? null : { amountFils: l.priceFils, currency: l.currency },
    bedrooms: l.bedrooms,
    bathrooms: l.bathrooms,
    size: l.size === null ? null : { value: l.size, unit: 'sqft' },
    plotSize: l.plotSize === null ? null : { value: l.plotSize, unit: 'sqft' },
    location: { emirate: l.emirate, community: l.community, subCommunity: l.subCommunity, building: l.building },
    title: { en: l.titleEn, ar: l.titleAr },
    description: { en: l.descriptionEn, ar: l.descriptionAr },
    amenities: l.amenities,
    furnishing: l.furnishing,
    completionStatus: l.completionStatus,
    permit: l.permitNumber === null ? null : { number: l.permitNumber, type: l.permitType ?? '', issueDate: l.permitIssueDate, expiryDate: l.permitExpiryDate },
    landlord: full && hasLandlord ? { name: l.landlordName ?? '', phone: l.landlordPhone, email: l.landlordEmail } : null,
    landlordHidden: !full && hasLandlord,
    agentId: l.agentId,
    teamId: l.teamId,
    portals: l.portals,
    publications: publications.map((p) => ({
      portal: p.portal as PublicationView['portal'],
      desiredState: p.desiredState as PublicationView['desiredState'],
      state: p.state as PublicationView['state'],
      message: p.message,
      portalListingId: p.portalListingId,
      changedAt: p.changedAt.toISOString(),
    })),
    media: media.map((m) => mediaView(m, urlOf(m))),
    lastReview: review
      ? { decision: review.decision, comment: review.comment, by: review.decidedBy, at: review.decidedAt.toISOString() }
      : null,
    createdBy: l.createdBy,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
    publishedAt: l.publishedAt?.toISOString() ?? null,
    statusChangedAt: l.statusChangedAt.toISOString(),
    version: l.version,
    allowedActions: caller ? allowedActions(l, caller) : [],
  };
}

/** The row as the audit trail keeps it: every column, including the landlord (Admins read it). */
export function auditState(l: ListingEntity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(l)) {
    if (key === 'searchVector') continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}
