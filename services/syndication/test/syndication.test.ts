import { create } from '@bufbuild/protobuf';
import { type ListingSnapshot, ListingSnapshotSchema } from '@pace/contracts';
import { startBayutPuller, eventually } from '@pace/testing';
import { type Harness, snapshot, startHarness } from './harness';

// The issue's "done": listing events → Bayut feed (pulled and parsed by a fake Bayut) and
// Property Finder (a fake PF that publishes asynchronously and calls our webhook, signed).
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const next = (l: ListingSnapshot, changes: Record<string, any>): ListingSnapshot => {
  const { $typeName: _, ...rest } = l;
  return create(ListingSnapshotSchema, { ...rest, ...changes, version: l.version + 1n });
};

describe('publishing a listing to every portal', () => {
  it('puts a valid published listing in the Bayut feed and live on Property Finder (webhook), and takes it off both on unpublish', async () => {
    const bayut = startBayutPuller(`${h.service.url}/feeds/bayut/${h.feedToken}.xml`);
    const listing = snapshot();
    await h.emit('published', listing);

    const live = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live' && s.bayut?.state === 'live');
    expect(live.propertyfinder).toMatchObject({ state: 'live', desiredState: 'published', portalListingId: expect.stringMatching(/^01/), valid: true });
    expect(live.bayut).toMatchObject({ state: 'live', valid: true });
    expect(live.website).toMatchObject({ state: 'live' });

    const poll = await bayut.poll();
    expect(poll).toMatchObject({ status: 200, gzip: true });
    expect(bayut.rejected()).toEqual([]);
    expect(bayut.live('Bayut')).toContain(listing.reference);
    expect(bayut.live('dubizzle')).toContain(listing.reference);
    expect(bayut.listing(listing.reference)).toMatchObject({ Property_Title: listing.title!.en, Price: '2500000', Listing_Agent_Email: 'listings@allsop.test' });

    const remote = h.pf.listings().filter((l) => l.reference === listing.reference);
    expect(remote).toHaveLength(1);
    expect(remote[0]).toMatchObject({ state: { type: 'live' }, body: { location: { id: 500101 }, price: { type: 'sale', amounts: { sale: 2_500_000 } }, bedrooms: '2', compliance: { listingAdvertisementNumber: '7112345678', issuingClientLicenseNumber: '12345' } } });

    const website = await fetch(`${h.service.url}/portal/v1/listings?limit=200`, { headers: { 'x-api-key': h.websiteKey } }).then((r) => r.json() as Promise<{ items: { reference: string }[] }>);
    expect(website.items.map((i) => i.reference)).toContain(listing.reference);

    await h.emit('unpublished', next(listing, { status: 'withdrawn' }));
    const off = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'unpublished' && s.bayut?.state === 'unpublished');
    expect(off.propertyfinder.state).toBe('unpublished');
    expect(h.pf.listings().find((l) => l.reference === listing.reference)?.state.type).toBe('unpublished');
    await bayut.poll();
    // Kept in the feed as `deleted` (so Bayut removes it), hence gone from the puller's state.
    expect(bayut.lastXml()).toContain('<Property_Status>deleted</Property_Status>');
    expect(bayut.live('Bayut')).not.toContain(listing.reference);
    const after = await fetch(`${h.service.url}/portal/v1/listings?limit=200`, { headers: { 'x-api-key': h.websiteKey } }).then((r) => r.json() as Promise<{ items: { reference: string }[] }>);
    expect(after.items.map((i) => i.reference)).not.toContain(listing.reference);
  });

  it('never sends an invalid listing anywhere, and the report says why per portal', async () => {
    const bayut = startBayutPuller(`${h.service.url}/feeds/bayut/${h.feedToken}.xml`);
    const listing = snapshot({ permit: undefined, title: { en: 'Sea view 🌊 <b>now</b>', ar: '' } });
    await h.emit('published', listing);
    const failed = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'failed' && s.bayut?.state === 'failed');
    expect(failed.propertyfinder.valid).toBe(false);
    expect(failed.propertyfinder.message).toContain('not sent');

    const report = await h.agent.get(`/listings/${listing.id}/validation`);
    expect(report.status).toBe(200);
    const pf = report.body.portals.find((p: { portal: string }) => p.portal === 'propertyfinder');
    expect(pf.valid).toBe(false);
    expect(pf.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'permit.number', message: 'an advertising permit is required in dubai', severity: 'error' }),
        expect.objectContaining({ field: 'title.en', message: expect.stringContaining('emojis'), severity: 'error' }),
        expect.objectContaining({ field: 'title.en', message: expect.stringContaining('HTML'), severity: 'error' }),
      ]),
    );
    const bayutReport = report.body.portals.find((p: { portal: string }) => p.portal === 'bayut');
    expect(bayutReport.problems).toEqual([expect.objectContaining({ field: 'permit.number' })]);

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.pf.listings().filter((l) => l.reference === listing.reference)).toEqual([]);
    expect(h.pf.requests.filter((r) => r.body.includes(listing.reference))).toEqual([]);
    await bayut.poll();
    expect(bayut.lastXml()).not.toContain(listing.reference);

    // Fixed: it goes out.
    await h.emit('updated', next(listing, { permit: { number: '7112349999', type: 'rera', issueDate: '2026-01-01', expiryDate: '2099-12-31' }, title: { en: 'Sea view apartment, high floor, vacant now', ar: '' } }));
    await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live' && s.bayut?.state === 'live');
    expect(h.pf.listings().filter((l) => l.reference === listing.reference)).toHaveLength(1);
  });

  it('rides out Property Finder answering 429 and 500 for a while: eventual success, exactly one remote listing, attempts visible', async () => {
    h.pf.fail(8, 429);
    h.pf.fail(4, 500);
    h.pf.fail(1, 0); // and one request that never answers (timeout)
    const listing = snapshot();
    await h.emit('published', listing);
    const retrying = await eventually(() => h.status(listing.id), (s) => (s.propertyfinder?.attempts ?? 0) >= 3, 10_000);
    expect(retrying.propertyfinder.attempts).toBeGreaterThanOrEqual(3);
    const live = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live', 30_000);
    expect(live.propertyfinder.state).toBe('live');
    expect(live.propertyfinder.attempts).toBeGreaterThan(13);
    expect(h.pf.listings().filter((l) => l.reference === listing.reference)).toHaveLength(1);
  });

  it('updates a live listing in place on Property Finder and in the feed', async () => {
    const bayut = startBayutPuller(`${h.service.url}/feeds/bayut/${h.feedToken}.xml`);
    const listing = snapshot();
    await h.emit('published', listing);
    await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live');
    const changed = next(listing, { price: { amountFils: 240_000_000n, currency: 'AED' } });
    await h.emit('updated', changed);
    const remote = await eventually(
      async () => h.pf.listings().filter((l) => l.reference === listing.reference),
      (ls) => (ls[0]?.body.price as { amounts: { sale: number } }).amounts.sale === 2_400_000,
    );
    expect(remote).toHaveLength(1);
    expect(remote[0]!.state.type).toBe('live');
    await bayut.poll();
    expect(bayut.listing(listing.reference)).toMatchObject({ Price: '2400000' });
    // A late, older event changes nothing.
    await h.emit('published', listing);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await bayut.poll();
    expect(bayut.listing(listing.reference)).toMatchObject({ Price: '2400000' });
  });

  it('records Property Finder rejecting a listing, with its reasons', async () => {
    const listing = snapshot({ description: { en: 'Reject me: blurry photos', ar: '' } });
    const outcomes = h.pf as unknown as { listings: () => { reference: string }[] };
    expect(outcomes).toBeDefined();
    await h.emit('published', listing);
    // The fake publishes everything; a publishFailed arrives through the webhook like PF's would.
    await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live');
    const remote = h.pf.listings().find((l) => l.reference === listing.reference)!;
    await h.pf.emit('listing.publishFailed', { id: remote.id, type: 'listing' }, { failureType: 'validation.failed', reasons: [{ en: 'Photos are blurry', ar: 'الصور غير واضحة' }] });
    const rejected = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'rejected');
    expect(rejected.propertyfinder.message).toBe('Property Finder: validation.failed: Photos are blurry');

    await h.pf.emit('listing.action', { id: remote.id, type: 'listing' }, { id: 'act-1', actionType: 'listing_trakheesi_invalid', status: 'pending', expiresAt: '2026-12-31T00:00:00Z', expireAction: 'listing_unpublish', message: 'Permit does not match' });
    const action = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.openActions?.length === 1);
    expect(action.propertyfinder.openActions[0]).toMatchObject({ actionType: 'listing_trakheesi_invalid', status: 'pending', expireAction: 'listing_unpublish' });
    expect(action.propertyfinder.message).toContain('compliance action listing_trakheesi_invalid');
  });

  it('used one access token for all of the above (cached, not one per call)', () => {
    expect(h.pf.requests.filter((r) => r.url.startsWith('/v1/listings')).length).toBeGreaterThan(20);
    expect(h.pf.tokenRequests()).toBe(1);
  });
});
