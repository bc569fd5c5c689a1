import { api, stopAll } from '@pace/testing';
import { type Harness, completeListing, people, signedHeaders, startHarness } from './fixtures';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await stopAll(h.service);
  await h.db.drop();
});

describe('listings: model, edits, concurrency, audit', () => {
  it('creates a draft with a reference, normalised contact, sqft size, a price history entry and an ETag', async () => {
    const res = await h.as('sara').post('/listings', completeListing({ size: { value: 100, unit: 'sqm' } }));
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({
      status: 'draft',
      reference: expect.stringMatching(/^ALS-S-\d{6}$/),
      price: { amountFils: 250_000_000, currency: 'AED' },
      size: { value: 1076.39, unit: 'sqft' },
      landlord: { name: 'Khalid Al Suwaidi', phone: '+971501234567', email: 'k.suwaidi@example.ae' },
      landlordHidden: false,
      agentId: people.sara.id,
      teamId: people.sara.teams[0],
      version: 1,
      allowedActions: ['submit', 'withdraw'],
    });
    const prices = await h.as('sara').get(`/listings/${res.body.id}/prices`);
    expect(prices.body.items).toEqual([expect.objectContaining({ price: { amountFils: 250_000_000, currency: 'AED' }, purpose: 'sale', changedBy: people.sara.id })]);
  });

  it('numbers references in order, with S for sale and R for rent', async () => {
    const a = await h.as('sara').post('/listings', completeListing());
    const b = await h.as('sara').post('/listings', completeListing({ purpose: 'rent', rentFrequency: 'yearly', price: { amountFils: 12_000_000 } }));
    const n = (ref: string) => Number(ref.slice(-6));
    expect(b.body.reference).toMatch(/^ALS-R-/);
    expect(n(b.body.reference)).toBe(n(a.body.reference) + 1);
  });

  it('rejects inconsistent or invalid input with one problem per field', async () => {
    const rent = await h.as('sara').post('/listings', completeListing({ purpose: 'rent' }));
    expect(rent.status).toBe(400);
    expect(rent.body.errors).toEqual([{ field: 'rentFrequency', message: expect.stringContaining('required') }]);
    const bad = await h.as('sara').post('/listings', {
      ...completeListing(),
      propertyType: 'castle',
      price: { amountFils: 12.5 },
      landlord: { name: 'X', phone: '123' },
      permit: { number: '7112', type: 'rera', issueDate: '2026-02-30', expiryDate: '2026-01-01' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['landlord.phone', 'permit.expiryDate', 'permit.issueDate', 'price.amountFils', 'propertyType']);
    const office = await h.as('sara').post('/listings', completeListing({ propertyType: 'office-space' }));
    expect(office.status).toBe(400);
    expect(office.body.errors[0]).toMatchObject({ field: 'propertyType' });
  });

  it('needs a version to edit, refuses a stale one with 409, and records the new price', async () => {
    const created = (await h.as('sara').post('/listings', completeListing())).body;
    const noVersion = await h.as('sara').patch(`/listings/${created.id}`, { bedrooms: 3 });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.code).toBe('version-required');

    const ok = await h.as('sara').patch(`/listings/${created.id}`, { price: { amountFils: 240_000_000 } }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    expect(ok.body).toMatchObject({ version: 2, price: { amountFils: 240_000_000 } });

    const stale = await h.as('sara').patch(`/listings/${created.id}`, { bedrooms: 4, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(stale.body).toMatchObject({ code: 'version-conflict', currentVersion: 2 });

    const prices = (await h.as('sara').get(`/listings/${created.id}/prices`)).body.items.map((p: { price: { amountFils: number } }) => p.price.amountFils);
    expect(prices).toEqual([250_000_000, 240_000_000]);
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const created = (await h.as('sara').post('/listings', completeListing())).body;
    const results = await Promise.all([
      h.as('sara').patch(`/listings/${created.id}`, { bedrooms: 3, version: 1 }),
      h.as('layla').patch(`/listings/${created.id}`, { bathrooms: 4, version: 1 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await h.as('sara').get(`/listings/${created.id}`)).body.version).toBe(2);
  });

  it('does not bump the version for an edit that changes nothing', async () => {
    const created = (await h.as('sara').post('/listings', completeListing())).body;
    const same = await h.as('sara').patch(`/listings/${created.id}`, { bedrooms: 2, version: 1 });
    expect(same.body.version).toBe(1);
  });

  it('keeps an Agent to their own listings and teams, while a Manager assigns within the team', async () => {
    const forOmar = await h.as('sara').post('/listings', completeListing({ agentId: people.omar.id }));
    expect(forOmar.status).toBe(403);
    expect(forOmar.body.code).toBe('assignment-not-allowed');
    const byLayla = await h.as('layla').post('/listings', completeListing({ agentId: people.adam.id }));
    expect(byLayla.status).toBe(201);
    expect(byLayla.body).toMatchObject({ agentId: people.adam.id, teamId: people.layla.teams[0] });
    const elsewhere = await h.as('layla').post('/listings', completeListing({ agentId: people.omar.id, teamId: people.omar.teams[0] }));
    expect(elsewhere.status).toBe(403);
  });

  it('answers 401 without a caller, and 404 for a listing the caller cannot see', async () => {
    const created = (await h.as('sara').post('/listings', completeListing())).body;
    const anonymous = await fetch(`${h.service.url}/listings/${created.id}`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('caller-context-missing');
    // Plain identity headers are not a caller any more; a signature under another secret or for another service is refused.
    const plain = await fetch(`${h.service.url}/listings/${created.id}`, { headers: { 'x-pace-user-id': people.sara.id, 'x-pace-role': 'admin' } });
    expect(plain.status).toBe(401);
    const sara = { kind: 'user' as const, id: people.sara.id, role: 'agent' as const, teamIds: [...people.sara.teams] };
    const forged = await fetch(`${h.service.url}/listings/${created.id}`, { headers: signedHeaders(sara, 'another-secret-that-is-long-enough-to-pass') });
    expect(forged.status).toBe(401);
    const elsewhere = await fetch(`${h.service.url}/listings/${created.id}`, { headers: signedHeaders(sara, undefined, 'applicants') });
    expect(elsewhere.status).toBe(401);
    const omar = await h.as('omar').get(`/listings/${created.id}`);
    expect(omar.status).toBe(404);
    expect(omar.body.code).toBe('listing-not-found');
    expect((await h.as('omar').patch(`/listings/${created.id}`, { bedrooms: 1, version: 1 })).status).toBe(404);
  });

  it('audits every mutation with who, when, before and after, for Admins only', async () => {
    const created = (await h.as('sara').post('/listings', completeListing())).body;
    await h.as('sara').patch(`/listings/${created.id}`, { bedrooms: 3, version: 1 });
    await h.as('sara').post(`/listings/${created.id}/transitions`, { action: 'withdraw' });

    expect((await h.as('layla').get(`/listing-audit?listingId=${created.id}`)).status).toBe(403);
    const trail = await h.as('admin').get(`/listing-audit?listingId=${created.id}`);
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((a: { action: string }) => a.action)).toEqual(['transition:withdraw', 'update', 'create']);
    const update = trail.body.items[1];
    expect(update).toMatchObject({ actor: { id: people.sara.id, role: 'agent' }, before: { bedrooms: 2, version: 1 }, after: { bedrooms: 3, version: 2 } });
    expect(new Date(update.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const bySara = await h.as('admin').get(`/listing-audit?actorId=${people.sara.id}&action=update&limit=1`);
    expect(bySara.body.items).toHaveLength(1);
    expect(bySara.body.nextCursor).toEqual(expect.any(String));
  });

  it('writes each change and its event in one transaction (the outbox carries the full snapshot)', async () => {
    const created = (await h.as('sara').post('/listings', completeListing())).body;
    await h.as('sara').patch(`/listings/${created.id}`, { price: { amountFils: 260_000_000 }, version: 1 });
    const rows = await h.sql<{ type: string; aggregate_version: string; data: string }>(
      'SELECT type, aggregate_version, data FROM listings.outbox WHERE aggregate_id = $1 ORDER BY id',
      [created.id],
    );
    expect(rows.map((r) => [r.type, Number(r.aggregate_version)])).toEqual([
      ['listings.listing-created.v1', 1],
      ['listings.listing-updated.v1', 2],
    ]);
    const updated = JSON.parse(rows[1].data).payload;
    expect(updated.changedFields).toEqual(['price']);
    expect(updated.listing).toMatchObject({
      id: created.id,
      reference: created.reference,
      status: 'draft',
      price: { amountFils: '260000000', currency: 'AED' },
      bedrooms: 2,
      location: { emirate: 'dubai', community: 'Dubai Marina' },
      title: { en: expect.any(String), ar: expect.any(String) },
      permit: { number: '7112345678', type: 'rera' },
      version: '2',
      hasLandlordContact: true,
    });
    expect(JSON.stringify(updated)).not.toContain('Suwaidi');
    // A refused write leaves no event behind.
    await h.as('sara').patch(`/listings/${created.id}`, { bedrooms: 5, version: 1 });
    expect((await h.sql('SELECT 1 FROM listings.outbox WHERE aggregate_id = $1', [created.id])).length).toBe(2);
  });

  it('lets a machine with listings:read read every listing without landlord contacts, and nothing else', async () => {
    const created = (await h.as('sara').post('/listings', completeListing())).body;
    const machine = api(h.service.url, signedHeaders({ kind: 'service', id: '0190a6b2-0000-7000-8000-0000000000ee', name: 'ai-suite', scopes: ['listings:read'] }));
    const read = await machine.get(`/listings/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.id, landlord: null, landlordHidden: true, allowedActions: [] });
    expect((await machine.get('/listings?limit=200')).body.items.map((l: { id: string }) => l.id)).toContain(created.id);
    expect((await machine.post('/listings', completeListing())).status).toBe(403);
    expect((await machine.patch(`/listings/${created.id}`, { bedrooms: 1, version: 1 })).status).toBe(403);
    expect((await machine.get('/listing-audit')).status).toBe(403);
    const unscoped = api(h.service.url, signedHeaders({ kind: 'service', id: '0190a6b2-0000-7000-8000-0000000000ef', name: 'other', scopes: ['applicants:read'] }));
    expect((await unscoped.get(`/listings/${created.id}`)).status).toBe(403);
  });
});
