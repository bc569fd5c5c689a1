import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningService } from '@pace/platform';
import { TEST_CALLER_SECRET, api, startBayutPuller, startTestService, stopAll, eventually } from '@pace/testing';
import { PNG, completeListing, headersOf } from '../../listings/test/fixtures';
import { listingsService } from '../../listings/src/service';
import { type Harness, startHarness } from './harness';

// The real listings service in front: a listing published there (approval and all) reaches Bayut
// and Property Finder through outbox → Pub/Sub → syndication, and leaves both when unpublished.
let h: Harness;
let listings: RunningService;

beforeAll(async () => {
  h = await startHarness();
  listings = await startTestService(listingsService, {
    DATABASE_URL: h.db.url,
    ...h.bus,
    CALLER_SIGNING_SECRET: TEST_CALLER_SECRET,
    LISTINGS_MEDIA_DIR: path.join(tmpdir(), `pace-syndication-e2e-${h.db.name}`),
    // Portals download images from a public HTTPS CDN.
    LISTINGS_MEDIA_PUBLIC_URL: 'https://cdn.pace.test',
    LISTINGS_PERMIT_SWEEP_CHECK_MS: '0',
  });
});

afterAll(async () => {
  await stopAll(listings);
  await h.stop();
});

const as = (who: 'sara' | 'layla') => api(listings.url, headersOf(who));

describe('from the listings service to the portals', () => {
  it('publishes a listing to Bayut and Property Finder, and unpublishing takes it off both', async () => {
    const created = await as('sara').post('/listings', completeListing());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const upload = await fetch(`${listings.url}/listings/${id}/media`, { method: 'POST', headers: { ...headersOf('sara'), 'content-type': 'image/png' }, body: PNG });
    expect(upload.status).toBe(201);
    for (const [who, action] of [['sara', 'submit'], ['layla', 'approve'], ['sara', 'publish']] as const) {
      expect((await as(who).post(`/listings/${id}/transitions`, { action })).status).toBe(200);
    }
    const reference = created.body.reference as string;

    const live = await eventually(() => h.status(id), (s) => s.propertyfinder?.state === 'live' && s.bayut?.state === 'live', 20_000);
    expect(live.propertyfinder).toMatchObject({ state: 'live', valid: true });
    const bayut = startBayutPuller(`${h.service.url}/feeds/bayut/${h.feedToken}.xml`);
    await bayut.poll();
    expect(bayut.rejected()).toEqual([]);
    expect(bayut.live()).toContain(reference);
    expect(bayut.listing(reference)).toMatchObject({ Images: { Image: [expect.stringMatching(/^https:\/\/cdn\.pace\.test\//)] } });
    expect(h.pf.listings().filter((l) => l.reference === reference)).toEqual([expect.objectContaining({ state: expect.objectContaining({ type: 'live' }) })]);

    expect((await as('sara').post(`/listings/${id}/transitions`, { action: 'unpublish' })).status).toBe(200);
    await eventually(() => h.status(id), (s) => s.propertyfinder?.state === 'unpublished' && s.bayut?.state === 'unpublished', 20_000);
    await bayut.poll();
    expect(bayut.live()).not.toContain(reference);
    expect(h.pf.listings().find((l) => l.reference === reference)?.state.type).toBe('unpublished');
  });
});
