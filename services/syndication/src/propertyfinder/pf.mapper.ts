import { type ProjectedListing, imagesOf } from '../projection/listing.model';

export interface PfAccountOptions {
  /** Company licence number (compliance `issuingClientLicenseNumber`). */
  licenseNumber?: string;
  /** Agent public profile used when no per-agent mapping exists. */
  publicProfileId?: string;
}

const PLOT_SIZED = ['villa', 'townhouse', 'bungalow'];

function uaeEmirate(emirate: string): string {
  return emirate === 'dubai' || emirate === 'abu_dhabi' ? emirate : 'northern_emirates';
}

/** Our projected listing as Property Finder's listing body (POST/PUT /v1/listings). */
export function toPfListing(l: ProjectedListing, locationId: number, account: PfAccountOptions): Record<string, unknown> {
  const priceType = l.purpose === 'rent' ? l.rentFrequency : 'sale';
  // Property Finder takes AED; we keep integer fils.
  const amount = Math.round((l.priceFils ?? 0) / 100);
  const body: Record<string, unknown> = {
    reference: l.reference,
    category: l.category,
    type: l.propertyType,
    price: { type: priceType, amounts: { [priceType]: amount } },
    // For UAE villas, townhouses and bungalows `size` is the plot; the built-up area goes apart.
    size: PLOT_SIZED.includes(l.propertyType) && l.plotSizeSqft ? l.plotSizeSqft : l.sizeSqft,
    ...(PLOT_SIZED.includes(l.propertyType) && l.sizeSqft ? { builtUpArea: Math.round(l.sizeSqft) } : {}),
    location: { id: locationId },
    uaeEmirate: uaeEmirate(l.emirate),
    title: { en: l.titleEn, ...(l.titleAr ? { ar: l.titleAr } : {}) },
    description: { en: l.descriptionEn, ...(l.descriptionAr ? { ar: l.descriptionAr } : {}) },
    furnishingType: l.furnishing || 'unfurnished',
    projectStatus: l.completionStatus === 'off_plan' ? 'off_plan' : 'completed',
    amenities: l.amenities,
    media: { images: imagesOf(l).map((m) => ({ original: { url: m.url } })) },
  };
  if (l.bedrooms !== null) body.bedrooms = l.bedrooms === 0 ? 'studio' : String(l.bedrooms);
  if (l.bathrooms !== null) body.bathrooms = l.bathrooms === 0 ? 'none' : String(l.bathrooms);
  if (l.permit?.number) {
    body.compliance = {
      type: l.permit.type || 'rera',
      listingAdvertisementNumber: l.permit.number,
      ...(account.licenseNumber ? { issuingClientLicenseNumber: account.licenseNumber } : {}),
      ...(l.permit.issueDate ? { advertisementLicenseIssuanceDate: l.permit.issueDate } : {}),
      userConfirmedDataIsCorrect: true,
    };
  }
  if (account.publicProfileId) body.assignedTo = { id: Number(account.publicProfileId) || account.publicProfileId };
  return body;
}

/** Names to look up in PF's location tree, most specific first. */
export function locationSearches(l: ProjectedListing): string[] {
  return [l.building, l.subCommunity, l.community].map((s) => s.trim()).filter((s) => s.length >= 2);
}
