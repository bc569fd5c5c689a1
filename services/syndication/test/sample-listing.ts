import type { ProjectedListing } from '../src/projection/listing.model';

/** A complete, valid projected listing for the pure (unit) tests. */
export function sampleListing(overrides: Partial<ProjectedListing> = {}): ProjectedListing {
  return {
    id: '0190a6b2-0000-7000-8000-00000000aaaa',
    reference: 'ALS-S-000001',
    status: 'published',
    purpose: 'sale',
    rentFrequency: '',
    category: 'residential',
    propertyType: 'apartment',
    priceFils: 250_000_000,
    currency: 'AED',
    bedrooms: 2,
    bathrooms: 3,
    sizeSqft: 1450,
    plotSizeSqft: null,
    emirate: 'dubai',
    community: 'Dubai Marina',
    subCommunity: 'Marina Promenade',
    building: 'Delphine Tower',
    titleEn: 'Two-bedroom apartment with a full marina view',
    titleAr: 'شقة غرفتين بإطلالة على المارينا',
    descriptionEn: 'Bright corner unit, vacant on transfer, near the tram.',
    descriptionAr: 'شقة زاوية مشرقة',
    amenities: ['balcony', 'shared-pool'],
    furnishing: 'unfurnished',
    completionStatus: 'ready',
    permit: { number: '7112345678', type: 'rera', issueDate: '2026-01-01', expiryDate: '2099-01-01' },
    agentId: '0190a6b2-0000-7000-8000-000000000001',
    teamId: '',
    portals: ['propertyfinder', 'bayut', 'website'],
    media: [{ kind: 'image', position: 0, url: 'https://cdn.example.test/1.jpg', contentType: 'image/jpeg', sizeBytes: 0, width: 0, height: 0 }],
    version: 3,
    updatedAt: '2026-11-30T10:11:12.000Z',
    ...overrides,
  };
}
