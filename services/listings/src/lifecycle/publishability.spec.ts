import { type PublishCandidate, dubaiToday, permitLapsed, publishProblems } from './publishability';

const ready: PublishCandidate = {
  reference: 'ALS-S-000001',
  purpose: 'sale',
  rentFrequency: null,
  category: 'residential',
  propertyType: 'apartment',
  priceFils: 250_000_000,
  bedrooms: 2,
  bathrooms: 3,
  sizeSqft: 1450,
  emirate: 'dubai',
  community: 'Dubai Marina',
  titleEn: 'Two-bedroom apartment with full marina view',
  descriptionEn: 'Bright corner unit.',
  amenities: ['balcony', 'shared-pool'],
  furnishing: 'unfurnished',
  completionStatus: 'ready',
  permitNumber: '7112345678',
  permitType: 'rera',
  permitIssueDate: '2026-01-10',
  permitExpiryDate: '2027-01-09',
  agentId: '0190a6b2-0000-7000-8000-000000000001',
  portals: ['propertyfinder', 'bayut', 'website'],
  imageCount: 4,
};
const today = '2026-11-28';
const fields = (c: PublishCandidate, on = today) => publishProblems(c, on).map((m) => m.field);

describe('publishability', () => {
  it('accepts a complete Dubai listing with a current permit', () => {
    expect(publishProblems(ready, today)).toEqual([]);
  });

  it('refuses a Dubai listing without a permit, saying so', () => {
    const problems = publishProblems({ ...ready, permitNumber: null, permitType: null, permitIssueDate: null, permitExpiryDate: null }, today);
    expect(problems).toEqual([{ field: 'permit.number', requiredBy: 'permit', message: 'a rera or dtcm advertising permit is required in dubai' }]);
  });

  it('refuses an expired, not-yet-valid or wrong-emirate permit', () => {
    expect(fields({ ...ready, permitExpiryDate: '2026-11-27' })).toEqual(['permit.expiryDate']);
    expect(fields({ ...ready, permitExpiryDate: today })).toEqual([]); // valid through its last day
    expect(fields({ ...ready, permitIssueDate: '2026-11-29' })).toEqual(['permit.issueDate']);
    expect(fields({ ...ready, emirate: 'abu_dhabi' })).toEqual(['permit.type']);
  });

  it('needs no permit in the northern emirates', () => {
    expect(fields({ ...ready, emirate: 'sharjah', permitNumber: null, permitType: null, permitIssueDate: null, permitExpiryDate: null })).toEqual([]);
  });

  it('lists every portal-required field that is missing', () => {
    const bare = { ...ready, titleEn: null, descriptionEn: ' ', priceFils: null, sizeSqft: null, bedrooms: null, bathrooms: null, furnishing: null, imageCount: 0 };
    expect(fields(bare).sort()).toEqual(['bathrooms', 'bedrooms', 'description.en', 'furnishing', 'media.images', 'price', 'size', 'title.en']);
  });

  it('applies Property Finder’s rules only when Property Finder is a target', () => {
    const html = { ...ready, titleEn: 'Great <b>deal</b> 🏖️', furnishing: null, amenities: ['conference-room'] };
    expect(fields(html).sort()).toEqual(['amenities', 'furnishing', 'title.en']);
    expect(fields({ ...html, portals: ['bayut', 'website'] })).toEqual([]);
  });

  it('does not ask land for rooms, and treats 0 bedrooms (studio) as given', () => {
    expect(fields({ ...ready, propertyType: 'land', bedrooms: null, bathrooms: null, amenities: [] })).toEqual([]);
    expect(fields({ ...ready, bedrooms: 0 })).toEqual([]);
  });

  it('needs at least one portal', () => {
    expect(fields({ ...ready, portals: [] })).toEqual(['portals']);
  });

  it('reads the calendar date in Dubai, four hours ahead of UTC', () => {
    expect(dubaiToday(new Date('2026-11-28T19:59:59Z'))).toBe('2026-11-28');
    expect(dubaiToday(new Date('2026-11-28T20:00:00Z'))).toBe('2026-11-29');
  });

  it('treats a permit as lapsed from the day after its expiry, only where permits apply', () => {
    expect(permitLapsed({ emirate: 'dubai', permitExpiryDate: '2026-11-28' }, today)).toBe(false);
    expect(permitLapsed({ emirate: 'dubai', permitExpiryDate: '2026-11-27' }, today)).toBe(true);
    expect(permitLapsed({ emirate: 'sharjah', permitExpiryDate: '2026-11-27' }, today)).toBe(false);
  });
});
