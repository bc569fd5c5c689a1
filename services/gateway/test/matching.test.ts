import { Client } from 'pg';
import { type TestSession, eventually } from '@pace/testing';
import { completeListing } from '../../listings/test/fixtures';
import { ROLE_OWNER_MATRIX, type Stack, publishListing, startStack, twoTeams } from './stack';

/**
 * Matching end to end: listings are published through the gateway, their events reach the
 * applicants service over the in-process bus (the same outbox/inbox path as Pub/Sub), and the
 * matches are read back through the gateway — for an applicant, and for a listing within what
 * each role may see.
 */
let stack: Stack;
let sql: Client;
const s: Record<string, TestSession> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack({}, { listings: true });
  sql = new Client({ connectionString: stack.db.url });
  await sql.connect();
  const people = await twoTeams(stack);
  Object.assign(s, people.sessions);
  Object.assign(ids, people.ids);
});

afterAll(async () => {
  await sql?.end();
  await stack?.close();
});

const as = (who: string) => ({
  get: (path: string) => stack.http.get(path, s[who].headers),
  post: (path: string, body: unknown) => stack.http.post(path, body, s[who].headers),
  patch: (path: string, body: unknown) => stack.http.patch(path, body, s[who].headers),
});

/** Draft → image → submit → approve → publish through the gateway, by `agent` with `manager`. */
const publish = (overrides: Record<string, unknown>, agent = 'agentA1', manager = 'managerA') =>
  publishListing(stack, s[agent], s[manager], completeListing({ portals: ['bayut'], ...overrides }));

async function applicant(owner: string, firstName: string, requirements: Record<string, unknown>, phone: string): Promise<{ id: string; version: number }> {
  const res = await as(owner).post('/api/v1/applicants', { firstName, lastName: 'Match', phones: [phone], requirements });
  expect(res.status).toBe(201);
  return { id: res.body.id, version: res.body.version };
}

type Item = { listingId: string; score: number; reasons: string[] };
const matchesOf = (who: string, applicantId: string) => as(who).get(`/api/v1/applicants/${applicantId}/matches`);
const listingIds = (body: { items: Item[] }) => body.items.map((m) => m.listingId);

async function matchEvents(applicantId: string): Promise<{ addedListingIds?: string[]; removedListingIds?: string[]; topMatches?: { listingId: string; score: number }[] }[]> {
  const rows = await sql.query<{ data: string }>(
    "SELECT data FROM applicants.outbox WHERE type = 'applicants.matches-changed.v1' AND aggregate_id = $1 ORDER BY id",
    [applicantId],
  );
  return rows.rows.map((r) => JSON.parse(r.data).payload);
}

describe('GET /api/v1/applicants/{id}/matches', () => {
  const L: Record<string, string> = {};
  let buyer: { id: string; version: number };

  beforeAll(async () => {
    // Buys a 2–3 bedroom apartment in Dubai Marina, AED 2M–2.6M.
    buyer = await applicant('agentA1', 'Fatima', { intent: 'buy', propertyTypes: ['apartment'], bedroomsMin: 2, bedroomsMax: 3, budgetMinFils: 200_000_000, budgetMaxFils: 260_000_000, communities: ['dubai marina'] }, '0501110001');
    L.fits = await publish({ bedrooms: 2, price: { amountFils: 250_000_000 } });
    L.slightlyOver = await publish({ bedrooms: 3, price: { amountFils: 273_000_000 } });
    L.fourBeds = await publish({ bedrooms: 4, price: { amountFils: 250_000_000 } });
    L.overBudget = await publish({ bedrooms: 2, price: { amountFils: 300_000_000 } });
    L.rental = await publish({ purpose: 'rent', rentFrequency: 'yearly', bedrooms: 2, price: { amountFils: 15_000_000 } });
    L.elsewhere = await publish({ bedrooms: 2, price: { amountFils: 250_000_000 }, location: { emirate: 'dubai', community: 'Jumeirah Village Circle', subCommunity: 'District 12', building: 'Bloom Towers' } });
  });

  it('lists the published listings that fit, ranked by score, with reasons; not those failing a hard filter', async () => {
    // Wait until every listing's events were applied, then look: late ones cannot slip in after.
    const published = async () => (await sql.query('SELECT id FROM applicants.listing_projection WHERE id = ANY($1) AND status = $2', [Object.values(L), 'published'])).rowCount;
    expect(await eventually(published, (n) => n === Object.keys(L).length)).toBe(Object.keys(L).length);
    const res = await matchesOf('agentA1', buyer.id);
    expect(res.status).toBe(200);
    expect(listingIds(res.body)).toEqual([L.fits, L.slightlyOver]);
    const [best, second] = res.body.items as Item[];
    expect(best.score).toBeGreaterThan(second.score);
    expect(best).toMatchObject({ reference: expect.any(String), title: expect.any(String), priceFils: 250_000_000, bedrooms: 2, community: 'Dubai Marina', purpose: 'sale' });
    expect(best.reasons).toEqual(expect.arrayContaining(['AED 2.5M, 4% under budget', '2 bedrooms, within 2–3', 'in Dubai Marina, a preferred community']));
    expect(second.reasons).toContain('AED 2.73M, 5% over budget');
    for (const wrong of [L.fourBeds, L.overBudget, L.rental, L.elsewhere]) expect(listingIds(res.body)).not.toContain(wrong);
  });

  it('pages by (score, id) with a cursor', async () => {
    const first = await as('agentA1').get(`/api/v1/applicants/${buyer.id}/matches?limit=1`);
    expect(listingIds(first.body)).toEqual([L.fits]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await as('agentA1').get(`/api/v1/applicants/${buyer.id}/matches?limit=1&cursor=${first.body.nextCursor}`);
    expect(listingIds(second.body)).toEqual([L.slightlyOver]);
    expect(second.body.nextCursor).toBeNull();
    const bad = await as('agentA1').get(`/api/v1/applicants/${buyer.id}/matches?cursor=bm9wZQ`);
    expect(bad.status).toBe(400);
  });

  it('emits matches-changed for each new match, carrying the top matches', async () => {
    const events = await matchEvents(buyer.id);
    const added = events.flatMap((e) => e.addedListingIds ?? []);
    expect(added.sort()).toEqual([L.fits, L.slightlyOver].sort());
    expect(events.at(-1)!.topMatches!.map((m) => m.listingId)).toEqual([L.fits, L.slightlyOver]);
  });

  it('follows changed requirements, in the same request', async () => {
    const before = (await matchEvents(buyer.id)).length;
    const current = await as('agentA1').get(`/api/v1/applicants/${buyer.id}`);
    const changed = await as('agentA1').patch(`/api/v1/applicants/${buyer.id}`, {
      version: current.body.version,
      requirements: { intent: 'buy', propertyTypes: ['apartment'], bedroomsMin: 3, bedroomsMax: 4, budgetMinFils: 200_000_000, budgetMaxFils: 260_000_000, communities: ['Dubai Marina'] },
    });
    expect(changed.status).toBe(200);
    const res = await matchesOf('agentA1', buyer.id);
    expect(listingIds(res.body)).toEqual([L.fourBeds, L.slightlyOver]);
    const events = await matchEvents(buyer.id);
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({ addedListingIds: [L.fourBeds], removedListingIds: [L.fits] });
  });

  it('emits nothing for an update that changes no match', async () => {
    const before = (await matchEvents(buyer.id)).length;
    const current = await as('agentA1').get(`/api/v1/applicants/${buyer.id}`);
    const renamed = await as('agentA1').patch(`/api/v1/applicants/${buyer.id}`, { version: current.body.version, lastName: 'Al Mansoori', tags: ['investor'] });
    expect(renamed.status).toBe(200);
    expect((await matchEvents(buyer.id)).length).toBe(before);
    expect(listingIds((await matchesOf('agentA1', buyer.id)).body)).toEqual([L.fourBeds, L.slightlyOver]);
  });

  it('drops a listing once it is unpublished', async () => {
    const off = await as('agentA1').post(`/api/v1/listings/${L.fourBeds}/transitions`, { action: 'unpublish' });
    expect([off.status, off.body.code]).toEqual([200, undefined]);
    const res = await eventually(() => matchesOf('agentA1', buyer.id), (r) => !listingIds(r.body).includes(L.fourBeds));
    expect(listingIds(res.body)).toEqual([L.slightlyOver]);
    expect((await matchEvents(buyer.id)).at(-1)).toMatchObject({ removedListingIds: [L.fourBeds] });
  });

  it('drops every match of a lost applicant', async () => {
    const current = await as('agentA1').get(`/api/v1/applicants/${buyer.id}`);
    const lost = await as('agentA1').post(`/api/v1/applicants/${buyer.id}/status`, { version: current.body.version, status: 'lost', reason: 'bought elsewhere' });
    expect(lost.status).toBe(200);
    expect((await matchesOf('agentA1', buyer.id)).body.items).toEqual([]);
  });

  it('is a 404 for an applicant the caller cannot see', async () => {
    expect((await matchesOf('agentB', buyer.id)).status).toBe(404);
    expect((await matchesOf('agentA2', buyer.id)).status).toBe(404);
    expect((await matchesOf('managerA', buyer.id)).status).toBe(200);
  });
});

describe('GET /api/v1/listings/{id}/matches: only the applicants the caller may see', () => {
  const records: Record<string, string> = {};
  let listing: string;
  // Townhouses in Arabian Ranches: nothing of the block above matches them.
  const wants = { intent: 'buy', propertyTypes: ['townhouse'], bedroomsMin: 3, communities: ['Arabian Ranches'] };

  beforeAll(async () => {
    let n = 0;
    for (const [record, owner, budget] of [
      ['ofAgentA1', 'agentA1', 400_000_000],
      ['ofAgentA2', 'agentA2', 380_000_000],
      ['ofManagerA', 'managerA', 420_000_000],
      ['ofAgentB', 'agentB', 360_000_000],
      ['ofAdmin', 'admin', 500_000_000],
    ] as const) {
      records[record] = (await applicant(owner, record, { ...wants, budgetMaxFils: budget }, `05022200${n++}0`)).id;
    }
    listing = await publish({
      propertyType: 'townhouse',
      bedrooms: 3,
      price: { amountFils: 390_000_000 },
      location: { emirate: 'dubai', community: 'Arabian Ranches', subCommunity: 'Alvorada', building: 'Alvorada 2' },
    });
    await eventually(() => as('admin').get(`/api/v1/listings/${listing}/matches`), (r) => r.body.items?.length === 5);
  });

  const idsOf = (body: { items: { applicantId: string }[] }) => body.items.map((m) => m.applicantId);

  it('ranks them by score, with reasons', async () => {
    const res = await as('admin').get(`/api/v1/listings/${listing}/matches`);
    expect(res.status).toBe(200);
    const scores = res.body.items.map((m: { score: number }) => m.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    // 10% tolerance: AED 3.9M is within AED 3.6M + 10%, so agent B's applicant matches (lower).
    expect(idsOf(res.body).at(-1)).toBe(records.ofAgentB);
    expect(res.body.items[0]).toMatchObject({ firstName: expect.any(String), status: 'new', reasons: expect.arrayContaining(['in Arabian Ranches, a preferred community']) });
  });

  const matrix = ROLE_OWNER_MATRIX;

  it.each(matrix)('%s, a record of %s (%s): listed = %s', async (caller, _relation, record, listed) => {
    const res = await as(caller).get(`/api/v1/listings/${listing}/matches`);
    expect(res.status).toBe(200);
    expect(idsOf(res.body).includes(records[record])).toBe(listed);
  });

  it.each([
    ['agentA1', ['ofAgentA1']],
    ['agentB', ['ofAgentB']],
    ['managerA', ['ofAgentA1', 'ofAgentA2', 'ofManagerA', 'ofAdmin']],
    ['managerB', ['ofAgentB']],
    ['admin', ['ofAgentA1', 'ofAgentA2', 'ofManagerA', 'ofAgentB', 'ofAdmin']],
  ])('%s gets exactly the records they may see', async (caller, expected) => {
    const res = await as(caller).get(`/api/v1/listings/${listing}/matches`);
    expect(idsOf(res.body).sort()).toEqual(expected.map((r) => records[r]).sort());
  });

  it('an agent cannot read matches of another team\'s applicant either', async () => {
    expect((await matchesOf('agentB', records.ofAgentA1)).status).toBe(404);
    expect((await matchesOf('agentA1', records.ofAgentB)).status).toBe(404);
    expect(listingIds((await matchesOf('agentB', records.ofAgentB)).body)).toEqual([listing]);
  });

  it('takes a token with applicants:read (all), and refuses one with listings:read only', async () => {
    const principal = await as('admin').post('/api/v1/admin/service-principals', { name: 'matching-reader' });
    const token = async (scopes: string[]) => (await as('admin').post(`/api/v1/admin/service-principals/${principal.body.id}/tokens`, { scopes })).body.token as string;
    const listingsOnly = { authorization: `Bearer ${await token(['listings:read'])}` };
    const applicantsRead = { authorization: `Bearer ${await token(['applicants:read'])}` };
    expect((await stack.http.get(`/api/v1/listings/${listing}/matches`, listingsOnly)).status).toBe(403);
    expect((await stack.http.get(`/api/v1/applicants/${records.ofAgentB}/matches`, listingsOnly)).status).toBe(403);
    const all = await stack.http.get(`/api/v1/listings/${listing}/matches`, applicantsRead);
    expect(all.status).toBe(200);
    expect(idsOf(all.body).sort()).toEqual(Object.values(records).sort());
  });

  it('a merge keeps the survivor\'s matches and drops the tombstone\'s', async () => {
    const survivor = await as('managerA').get(`/api/v1/applicants/${records.ofAgentA1}`);
    const merged = await as('managerA').post('/api/v1/applicants/merge', { survivorId: records.ofAgentA1, mergedId: records.ofAgentA2, survivorVersion: survivor.body.version });
    expect(merged.status).toBe(200);
    const res = await as('admin').get(`/api/v1/listings/${listing}/matches`);
    expect(idsOf(res.body)).not.toContain(records.ofAgentA2);
    expect(idsOf(res.body)).toContain(records.ofAgentA1);
    expect((await matchEvents(records.ofAgentA2)).at(-1)).toMatchObject({ removedListingIds: [listing] });
  });

  it('documents both routes', async () => {
    const doc = (await stack.http.get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/applicants/{id}/matches', '/api/v1/listings/{id}/matches']));
    expect(doc.components.schemas.ListingMatch.properties.score).toMatchObject({ type: 'integer', minimum: 0, maximum: 100 });
  });
});
