import { type MatchApplicant, type MatchListing, comparablePrice, diff, evaluate } from './matching.rules';

const applicant = (overrides: Partial<MatchApplicant> = {}): MatchApplicant => ({
  status: 'qualified',
  mergedInto: null,
  intent: 'buy',
  propertyTypes: ['apartment'],
  bedroomsMin: 2,
  bedroomsMax: 3,
  budgetMinFils: 200_000_000,
  budgetMaxFils: 250_000_000,
  communities: ['Dubai Marina'],
  furnishing: null,
  moveInDate: null,
  ...overrides,
});

const listing = (overrides: Partial<MatchListing> = {}): MatchListing => ({
  status: 'published',
  purpose: 'sale',
  propertyType: 'apartment',
  bedrooms: 3,
  comparablePriceFils: 240_000_000,
  community: 'Dubai Marina',
  subCommunity: 'Marina Promenade',
  furnishing: 'unfurnished',
  completionStatus: 'ready',
  ...overrides,
});

describe('hard filters', () => {
  it('matches a listing that fits every requirement, with reasons a person reads', () => {
    const match = evaluate(applicant(), listing());
    expect(match).not.toBeNull();
    expect(match!.reasons).toEqual(['AED 2.4M, 4% under budget', '3 bedrooms, within 2–3', 'in Dubai Marina, a preferred community']);
  });

  it.each<[string, Partial<MatchApplicant>, Partial<MatchListing>]>([
    ['not advertised', {}, { status: 'under_offer' }],
    ['rent listing for a buyer', {}, { purpose: 'rent' }],
    ['sale listing for a tenant', { intent: 'rent', budgetMinFils: null }, {}],
    ['another property type', {}, { propertyType: 'villa' }],
    ['too few bedrooms', {}, { bedrooms: 1 }],
    ['too many bedrooms', {}, { bedrooms: 4 }],
    ['bedrooms unknown when asked for', {}, { bedrooms: null }],
    ['more than 10% over budget', {}, { comparablePriceFils: 275_000_001 }],
    ['more than 10% under the minimum', {}, { comparablePriceFils: 179_999_999 }],
    ['no price when there is a budget', {}, { comparablePriceFils: null }],
    ['another community', {}, { community: 'JVC', subCommunity: 'District 12' }],
    ['a won applicant', { status: 'won' }, {}],
    ['a lost applicant', { status: 'lost' }, {}],
    ['a merged tombstone', { mergedInto: '0190a6b2-0000-7000-8000-000000000001' }, {}],
    ['no intent (no requirements)', { intent: null }, {}],
  ])('rejects %s', (_what, a, l) => {
    expect(evaluate(applicant(a), listing(l))).toBeNull();
  });

  it('takes up to 10% over the maximum, at a cost', () => {
    const within = evaluate(applicant(), listing())!;
    const over = evaluate(applicant(), listing({ comparablePriceFils: 275_000_000 }))!;
    expect(over.reasons[0]).toBe('AED 2.75M, 10% over budget');
    expect(over.score).toBeLessThan(within.score);
  });

  it('compares communities case-insensitively, and the sub-community too', () => {
    expect(evaluate(applicant({ communities: ['dubai marina '] }), listing())).not.toBeNull();
    const sub = evaluate(applicant({ communities: ['MARINA PROMENADE'] }), listing({ community: 'Dubai Marina' }))!;
    expect(sub.reasons).toContain('in Marina Promenade, a preferred community');
  });

  it('leaves out what the applicant did not ask for', () => {
    const open = applicant({ propertyTypes: [], bedroomsMin: null, bedroomsMax: null, budgetMinFils: null, budgetMaxFils: null, communities: [] });
    expect(evaluate(open, listing({ propertyType: 'villa', bedrooms: null, comparablePriceFils: null, community: 'Palm Jumeirah' }))).not.toBeNull();
  });
});

describe('score', () => {
  it('ranks a closer fit higher', () => {
    const wants = applicant({ furnishing: 'furnished', moveInDate: '2027-01-01' });
    const best = evaluate(wants, listing({ furnishing: 'furnished' }))!;
    const worse = evaluate(wants, listing({ furnishing: 'unfurnished', completionStatus: 'off_plan' }))!;
    expect(best.score).toBe(100);
    expect(best.reasons).toEqual(expect.arrayContaining(['furnished as wanted', 'ready, move-in date fits']));
    expect(worse.score).toBeLessThan(best.score);
    expect(worse.reasons).toEqual(expect.arrayContaining(['unfurnished, wanted furnished', 'off-plan, wanted to move in from 2027-01-01']));
  });

  it('stays within 0–100', () => {
    const scores = [listing(), listing({ comparablePriceFils: 275_000_000, furnishing: '', completionStatus: 'off_plan' })].map((l) => evaluate(applicant({ furnishing: 'partly', moveInDate: '2027-01-01' }), l)!.score);
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(100);
  });

  it('compares rents per year with a yearly budget', () => {
    expect(comparablePrice('rent', 'monthly', 1_000_000)).toBe(12_000_000);
    expect(comparablePrice('sale', '', 250_000_000)).toBe(250_000_000);
    const tenant = applicant({ intent: 'rent', budgetMinFils: null, budgetMaxFils: 15_000_000 });
    const match = evaluate(tenant, listing({ purpose: 'rent', comparablePriceFils: 14_500_000 }))!;
    expect(match.reasons[0]).toBe('AED 145K a year, 3% under budget');
  });
});

describe('diff', () => {
  it('names added and removed ids, and scores that moved by 5 or more', () => {
    const d = diff(new Map([['a', 80], ['b', 70], ['c', 60]]), new Map([['a', 82], ['c', 66], ['d', 50]]));
    expect(d).toEqual({ added: ['d'], removed: ['b'], rescored: ['c'] });
  });
});
