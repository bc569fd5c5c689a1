import { stopAll } from '@pace/testing';
import { PermitSweep } from '../src/expiry/permit-sweep';
import { type Harness, PNG, completeListing, dubaiDay, people, startHarness } from './fixtures';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await stopAll(h.service);
  await h.db.drop();
});

const move = (who: Parameters<Harness['as']>[0], id: string, action: string, extra: Record<string, unknown> = {}) =>
  h.as(who).post(`/listings/${id}/transitions`, { action, ...extra });

describe('listing lifecycle over HTTP', () => {
  it('refuses to approve a Dubai listing without a permit: 409 problem naming what is missing', async () => {
    const created = (await h.as('sara').post('/listings', completeListing({ permit: null, title: { en: null, ar: null } }))).body;
    await h.upload('sara', created.id, PNG);
    expect((await move('sara', created.id, 'submit')).status).toBe(200);
    const res = await move('layla', created.id, 'approve');
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'listing-not-publishable', status: 409, detail: expect.stringContaining('permit is required in dubai') });
    expect(res.body.missing).toEqual([
      { field: 'permit.number', requiredBy: 'permit', message: 'a rera or dtcm advertising permit is required in dubai' },
      { field: 'title.en', requiredBy: 'bayut, propertyfinder, website', message: 'an English title is required' },
    ]);
    expect((await h.as('sara').get(`/listings/${created.id}`)).body.status).toBe('pending_approval');
  });

  it('refuses an expired permit, and publishes once the permit is renewed', async () => {
    const created = (await h.as('sara').post('/listings', completeListing({ permit: { number: '7112340000', type: 'rera', issueDate: dubaiDay(-400), expiryDate: dubaiDay(-1) } }))).body;
    await h.upload('sara', created.id, PNG);
    await move('sara', created.id, 'submit');
    const refused = await move('layla', created.id, 'approve');
    expect(refused.status).toBe(409);
    expect(refused.body.missing).toEqual([expect.objectContaining({ field: 'permit.expiryDate', message: `the permit expired on ${dubaiDay(-1)}` })]);
    const current = (await h.as('sara').get(`/listings/${created.id}`)).body;
    await h.as('sara').patch(`/listings/${created.id}`, { permit: { number: '7112340001', type: 'rera', issueDate: dubaiDay(0), expiryDate: dubaiDay(365) }, version: current.version });
    expect((await move('layla', created.id, 'approve', { comment: 'Permit renewed, good to go' })).status).toBe(200);
    const published = await move('sara', created.id, 'publish');
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', publishedAt: expect.any(String), lastReview: { decision: 'approved', comment: 'Permit renewed, good to go', by: people.layla.id } });
  });

  it('lets only a Manager of the team (not the agent, not another team) approve, and needs a comment to reject', async () => {
    const created = (await h.as('sara').post('/listings', completeListing())).body;
    await h.upload('sara', created.id, PNG);
    await move('sara', created.id, 'submit');
    expect((await move('sara', created.id, 'approve')).status).toBe(403);
    expect((await move('khalid', created.id, 'approve')).status).toBe(404);
    const noComment = await move('layla', created.id, 'reject');
    expect(noComment.status).toBe(400);
    expect(noComment.body.errors).toEqual([{ field: 'comment', message: expect.stringContaining('comment') }]);
    const rejected = await move('layla', created.id, 'reject', { comment: 'Photos are too dark' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'draft', lastReview: { decision: 'rejected', comment: 'Photos are too dark', by: people.layla.id } });
    // Seen from the agent: the comment is there to act on.
    expect((await h.as('sara').get(`/listings/${created.id}`)).body.lastReview.comment).toBe('Photos are too dark');
  });

  it('walks a rental to rented and refuses moves the table does not allow', async () => {
    const listing = await h.published('sara', { purpose: 'rent', rentFrequency: 'yearly', price: { amountFils: 15_000_000 } });
    const early = await move('sara', listing.id, 'mark_rented');
    expect(early.body).toMatchObject({ code: 'transition-not-allowed' });
    expect((await move('sara', listing.id, 'mark_under_offer')).body.status).toBe('under_offer');
    const sold = await move('sara', listing.id, 'mark_sold');
    expect(sold.status).toBe(409);
    expect(sold.body.detail).toContain('only to sale listings');
    expect((await move('sara', listing.id, 'mark_rented')).body.status).toBe('rented');
    const edit = await h.as('sara').patch(`/listings/${listing.id}`, { bedrooms: 1, version: 99 });
    expect(edit.status).toBe(409);
    const stale = await move('sara', listing.id, 'relist', { version: 1 });
    expect(stale.status).toBe(409);
  });

  it('emits status-changed for every move, plus published and unpublished at the edges', async () => {
    const listing = await h.published('sara');
    await move('sara', listing.id, 'withdraw', { comment: 'Landlord sold privately' });
    const rows = await h.sql<{ type: string; data: string }>('SELECT type, data FROM listings.outbox WHERE aggregate_id = $1 ORDER BY id', [listing.id]);
    expect(rows.map((r) => r.type)).toEqual([
      'listings.listing-created.v1',
      'listings.listing-updated.v1', // the image
      'listings.listing-status-changed.v1', // submit
      'listings.listing-status-changed.v1', // approve
      'listings.listing-status-changed.v1', // publish
      'listings.listing-published.v1',
      'listings.listing-status-changed.v1', // withdraw
      'listings.listing-unpublished.v1',
    ]);
    const withdraw = JSON.parse(rows[6].data).payload;
    expect(withdraw).toMatchObject({ fromStatus: 'published', toStatus: 'withdrawn', action: 'withdraw', comment: 'Landlord sold privately', actorId: people.sara.id });
    const published = JSON.parse(rows[5].data).payload.listing;
    expect(published).toMatchObject({ status: 'published', media: [expect.objectContaining({ kind: 'image', contentType: 'image/png' })] });
  });

  it('expires published listings whose permit lapsed, once, with a notice for the agent and an audit row by the system', async () => {
    const lapsing = await h.published('sara');
    const fine = await h.published('sara');
    const sharjah = await h.published('sara', { location: { emirate: 'sharjah', community: 'Al Majaz' }, permit: null });
    // Time passes: the first permit ran out yesterday; Sharjah needs none and its listing stays.
    await h.sql(`UPDATE listings.listing SET permit_expiry_date = $2 WHERE id = $1`, [lapsing.id, dubaiDay(-1)]);
    await h.sql(`UPDATE listings.listing SET permit_expiry_date = $2 WHERE id = $1`, [sharjah.id, null]);

    expect((await h.as('layla').post('/listing-jobs/permit-sweep', {})).status).toBe(403);
    // Two replicas wake at the same moment: one runs, the other backs off.
    const sweep = h.service.app.get(PermitSweep);
    const outcomes = await Promise.all([sweep.run(new Date(), true), sweep.run(new Date(), true)]);
    const expired = outcomes.flatMap((o) => (o.ran ? o.expired.map((e) => e.id) : []));
    expect(expired).toEqual([lapsing.id]);

    expect((await h.as('sara').get(`/listings/${lapsing.id}`)).body.status).toBe('expired');
    expect((await h.as('sara').get(`/listings/${fine.id}`)).body.status).toBe('published');
    expect((await h.as('sara').get(`/listings/${sharjah.id}`)).body.status).toBe('published');

    const notices = await h.as('sara').get('/listing-notices?unread=true');
    expect(notices.body.items).toEqual([
      expect.objectContaining({ listingId: lapsing.id, kind: 'permit-expired', message: expect.stringContaining(`expired on ${dubaiDay(-1)}`), readAt: null }),
    ]);
    expect((await h.as('adam').get('/listing-notices')).body.items).toEqual([]);
    expect((await h.as('sara').post(`/listing-notices/${notices.body.items[0].id}/read`, {})).status).toBe(204);
    expect((await h.as('sara').get('/listing-notices?unread=true')).body.items).toEqual([]);

    const trail = await h.as('admin').get(`/listing-audit?listingId=${lapsing.id}&action=transition:expire`);
    expect(trail.body.items).toEqual([expect.objectContaining({ actor: { id: 'system', role: 'system' }, comment: 'the advertising permit lapsed' })]);
    const unpublished = await h.sql<{ data: string }>(`SELECT data FROM listings.outbox WHERE aggregate_id = $1 AND type = 'listings.listing-unpublished.v1'`, [lapsing.id]);
    expect(JSON.parse(unpublished[0].data).payload.action).toBe('expire');

    // Not due again until tomorrow; forcing it again finds nothing.
    expect(await sweep.run(new Date())).toEqual({ ran: false, why: 'not due yet' });
    expect(await sweep.run(new Date(), true)).toMatchObject({ ran: true, expired: [] });
    // Relist, renew, and go again.
    const relisted = await move('sara', lapsing.id, 'relist');
    expect(relisted.body.status).toBe('draft');
  });
});
