import { stopAll } from '@pace/testing';
import { type Harness, completeListing, people, startHarness } from './fixtures';

let h: Harness;
const ids: Record<string, string> = {};

/** Listings of three agents in two teams; some published, some drafts. */
beforeAll(async () => {
  h = await startHarness();
  const marina = { emirate: 'dubai', community: 'Dubai Marina' };
  const palm = { emirate: 'dubai', community: 'Palm Jumeirah' };
  ids.saraMarina2 = (await h.published('sara', { location: marina, bedrooms: 2, price: { amountFils: 200_000_000 } })).id;
  ids.saraMarina3 = (await h.published('sara', { location: marina, bedrooms: 3, price: { amountFils: 350_000_000 } })).id;
  ids.saraVilla = (
    await h.published('sara', {
      propertyType: 'villa',
      location: palm,
      bedrooms: 5,
      price: { amountFils: 2_000_000_000 },
      title: { en: 'Signature villas frond with beach', ar: 'فيلا فاخرة على الشاطئ' },
      description: { en: 'Private pool and beach access.', ar: 'مسبح خاص وشاطئ' },
    })
  ).id;
  ids.adamDraft = (await h.as('adam').post('/listings', completeListing({ location: marina, bedrooms: 1, price: { amountFils: 120_000_000 } }))).body.id;
  ids.omarPublished = (await h.published('omar', { location: marina, bedrooms: 2, price: { amountFils: 210_000_000 } })).id;
  ids.omarDraft = (await h.as('omar').post('/listings', completeListing({ location: marina, bedrooms: 0, price: { amountFils: 90_000_000 } }))).body.id;
  ids.omarRent = (
    await h.published('omar', { purpose: 'rent', rentFrequency: 'yearly', location: palm, bedrooms: 1, price: { amountFils: 15_000_000 } })
  ).id;
}, 60_000);

afterAll(async () => {
  await stopAll(h.service);
  await h.db.drop();
});

const found = async (who: Parameters<Harness['as']>[0], query: string): Promise<string[]> => {
  const res = await h.as(who).get(`/listings?${query}`);
  expect(res.status).toBe(200);
  return res.body.items.map((l: { id: string }) => l.id);
};
const named = (...keys: string[]) => keys.map((k) => ids[k]);

describe('listing search and visibility', () => {
  it('shows an Agent only their own listings, a Manager their team’s, an Admin everything', async () => {
    expect((await found('sara', 'limit=200')).sort()).toEqual(named('saraMarina2', 'saraMarina3', 'saraVilla').sort());
    expect((await found('layla', 'limit=200')).sort()).toEqual(named('saraMarina2', 'saraMarina3', 'saraVilla', 'adamDraft').sort());
    expect((await found('khalid', 'limit=200')).sort()).toEqual(named('omarPublished', 'omarDraft', 'omarRent').sort());
    expect((await found('admin', 'limit=200')).length).toBe(7);
  });

  it('widens to the published stock on request, hiding other teams’ landlord contacts', async () => {
    const res = await h.as('sara').get('/listings?scope=stock&limit=200');
    const byId = new Map(res.body.items.map((l: { id: string }) => [l.id, l]));
    expect([...byId.keys()].sort()).toEqual(named('saraMarina2', 'saraMarina3', 'saraVilla', 'omarPublished', 'omarRent').sort());
    expect(byId.get(ids.omarPublished)).toMatchObject({ landlord: null, landlordHidden: true, allowedActions: [] });
    expect(byId.get(ids.saraMarina2)).toMatchObject({ landlord: { name: 'Khalid Al Suwaidi', phone: '+971501234567' }, landlordHidden: false });
    // Reading one listing follows the same rule; a draft of another team stays invisible.
    expect((await h.as('sara').get(`/listings/${ids.omarPublished}`)).body).toMatchObject({ landlord: null, landlordHidden: true });
    expect((await h.as('khalid').get(`/listings/${ids.omarPublished}`)).body.landlord).toMatchObject({ name: 'Khalid Al Suwaidi' });
    expect((await h.as('sara').get(`/listings/${ids.omarDraft}`)).status).toBe(404);
    // Seeing it is not owning it: changing it is refused.
    const edit = await h.as('sara').patch(`/listings/${ids.omarPublished}`, { bedrooms: 9, version: 5 });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe('not-your-listing');
    // The filters never widen visibility.
    expect(await found('sara', `agentId=${people.omar.id}`)).toEqual([]);
  });

  it('filters by purpose, type, community, price, bedrooms, status and agent', async () => {
    expect(await found('admin', 'purpose=rent')).toEqual(named('omarRent'));
    expect(await found('admin', 'propertyType=villa')).toEqual(named('saraVilla'));
    expect((await found('admin', 'community=Dubai%20Marina&status=published&minBeds=2&maxBeds=2')).sort()).toEqual(named('saraMarina2', 'omarPublished').sort());
    expect((await found('admin', 'minPrice=150000000&maxPrice=300000000&sort=price_asc'))).toEqual(named('saraMarina2', 'omarPublished'));
    expect((await found('admin', 'status=draft&sort=price_asc'))).toEqual(named('omarDraft', 'adamDraft'));
    expect((await found('admin', `agentId=${people.adam.id}`))).toEqual(named('adamDraft'));
    expect((await found('admin', 'minBeds=0&maxBeds=0'))).toEqual(named('omarDraft'));
  });

  it('sorts by price both ways and pages with a cursor without gaps or repeats', async () => {
    const all = await found('admin', 'sort=price_desc&limit=200');
    expect(all[0]).toBe(ids.saraVilla);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await h.as('admin').get(`/listings?sort=price_desc&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...res.body.items.map((l: { id: string }) => l.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    const newest = await found('admin', 'limit=200');
    const paged: string[] = [];
    cursor = null;
    do {
      const res = await h.as('admin').get(`/listings?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      paged.push(...res.body.items.map((l: { id: string }) => l.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(newest);
    expect(newest[0]).toBe(ids.omarRent);
  });

  it('refuses a cursor from another sort, and contradictory ranges', async () => {
    const first = await h.as('admin').get('/listings?sort=price_asc&limit=1');
    const crossed = await h.as('admin').get(`/listings?sort=newest&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(crossed.status).toBe(400);
    expect(crossed.body.code).toBe('invalid-cursor');
    expect((await h.as('admin').get('/listings?minPrice=5&maxPrice=1')).status).toBe(400);
    expect((await h.as('admin').get('/listings?sort=relevance')).status).toBe(400);
    expect((await h.as('admin').get('/listings?status=lost')).status).toBe(400);
  });

  it('finds text in English (stemmed) and Arabic, ranked by relevance, within visibility', async () => {
    expect(await found('admin', 'q=villa')).toEqual(named('saraVilla'));
    expect(await found('admin', 'q=beaches')).toEqual(named('saraVilla'));
    expect(await found('admin', `q=${encodeURIComponent('فيلا')}`)).toEqual(named('saraVilla'));
    expect(await found('admin', `q=${encodeURIComponent('مسبح')}`)).toEqual(named('saraVilla'));
    expect(await found('omar', 'q=villa')).toEqual([]);
    const marina = await h.as('admin').get('/listings?q=marina&limit=2');
    expect(marina.body.items.length).toBe(2);
    const rest = await h.as('admin').get(`/listings?q=marina&limit=200&cursor=${encodeURIComponent(marina.body.nextCursor)}`);
    const all = await found('admin', 'q=marina&limit=200');
    expect([...marina.body.items, ...rest.body.items].map((l: { id: string }) => l.id)).toEqual(all);
    // Reference numbers are searchable too.
    const ref = (await h.as('admin').get(`/listings/${ids.saraVilla}`)).body.reference;
    expect(await found('admin', `q=${ref}`)).toEqual(named('saraVilla'));
  });

  it('returns a cover image URL with each hit', async () => {
    const res = await h.as('sara').get(`/listings?propertyType=villa`);
    expect(res.body.items[0].coverImageUrl).toMatch(new RegExp(`^/api/v1/listings/${ids.saraVilla}/media/[0-9a-f-]{36}/content$`));
  });
});
