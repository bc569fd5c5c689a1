import { Client } from 'pg';
import { type TestSession, eventually } from '@pace/testing';
import { completeListing } from '../../listings/test/fixtures';
import { type Stack, publishListing, startStack, twoTeams } from './stack';

/**
 * Listing shares end to end: listings published through the gateway reach the applicants
 * service as events; an agent records that an applicant was sent some of them; the shares, the
 * timeline entry and the event are there, retries are answered once, and visibility holds.
 */
let stack: Stack;
let sql: Client;
const s: Record<string, TestSession> = {};
const L: Record<string, string> = {};
let buyer: string;
let otherBuyer: string;

const as = (who: string, extra: Record<string, string> = {}) => ({
  get: (path: string) => stack.http.get(path, { ...s[who].headers, ...extra }),
  post: (path: string, body: unknown) => stack.http.post(path, body, { ...s[who].headers, ...extra }),
});

async function applicant(owner: string, firstName: string, phone: string, requirements?: Record<string, unknown>): Promise<string> {
  const res = await as(owner).post('/api/v1/applicants', { firstName, lastName: 'Share', phones: [phone], requirements });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const sharesOf = (who: string, id: string, query = '') => as(who).get(`/api/v1/applicants/${id}/listing-shares${query}`);
const sharedEvents = async (applicantId: string) =>
  (await sql.query<{ data: string }>("SELECT data FROM applicants.outbox WHERE type = 'applicants.listings-shared.v1' AND aggregate_id = $1 ORDER BY id", [applicantId])).rows.map((r) => JSON.parse(r.data).payload);

beforeAll(async () => {
  stack = await startStack({}, { listings: true });
  sql = new Client({ connectionString: stack.db.url });
  await sql.connect();
  Object.assign(s, (await twoTeams(stack)).sessions);
  L.marina = await publishListing(stack, s.agentA1, s.managerA, completeListing({ portals: ['bayut'], bedrooms: 2 }));
  L.jvc = await publishListing(stack, s.agentB, s.managerB, completeListing({ portals: ['bayut'], bedrooms: 3 }));
  const draft = await as('agentA1').post('/api/v1/listings', completeListing({ portals: ['bayut'] }));
  expect(draft.status).toBe(201);
  L.draft = draft.body.id as string;
  // Both published listings fit her (2–3 bedroom apartments in Dubai Marina, AED 2M–2.6M).
  buyer = await applicant('agentA1', 'Layla', '0502220001', { intent: 'buy', propertyTypes: ['apartment'], bedroomsMin: 2, bedroomsMax: 3, budgetMinFils: 200_000_000, budgetMaxFils: 260_000_000, communities: ['dubai marina'] });
  otherBuyer = await applicant('agentB', 'Omar', '0502220002');
  // The applicants service knows listings from their events: wait until all three arrived.
  const known = async () => (await sql.query('SELECT id FROM applicants.listing_projection WHERE id = ANY($1)', [Object.values(L)])).rowCount;
  await eventually(known, (n) => n === 3);
  await eventually(async () => (await sql.query("SELECT 1 FROM applicants.listing_projection WHERE id = ANY($1) AND status = 'published'", [[L.marina, L.jvc]])).rowCount, (n) => n === 2);
});

afterAll(async () => {
  await sql?.end();
  await stack?.close();
});

describe('POST /api/v1/applicants/{id}/listing-shares', () => {
  it('records each listing sent, one timeline entry and one event, and lists them newest first', async () => {
    type Match = { listingId: string; lastSharedAt: string | null };
    const matches = async () => (await as('agentA1').get(`/api/v1/applicants/${buyer}/matches`)).body.items as Match[];
    expect((await eventually(matches, (items) => items.length === 2)).map((m) => m.lastSharedAt)).toEqual([null, null]);
    const res = await as('agentA1').post(`/api/v1/applicants/${buyer}/listing-shares`, { listingIds: [L.marina, L.jvc], channel: 'whatsapp', note: 'The two we talked about' });
    expect(res.status).toBe(201);
    expect(res.body.replayed).toBe(false);
    expect(res.body.shares.map((x: { listingId: string }) => x.listingId)).toEqual([L.marina, L.jvc]);
    expect(res.body.shares[0]).toMatchObject({ applicantId: buyer, channel: 'whatsapp', note: 'The two we talked about', reference: expect.stringMatching(/^ALS-/), timelineEntryId: res.body.entry.id });
    expect(res.body.entry).toMatchObject({ kind: 'listing_shared', summary: expect.stringMatching(/^Sent 2 listings \(ALS-.*\) by WhatsApp$/) });

    const timeline = await as('agentA1').get(`/api/v1/applicants/${buyer}/timeline`);
    expect(timeline.body.items[0]).toMatchObject({ id: res.body.entry.id, kind: 'listing_shared', data: { channel: 'whatsapp', listings: [{ id: L.marina }, { id: L.jvc }] } });

    const events = await sharedEvents(buyer);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ applicantId: buyer, channel: 'whatsapp', timelineEntryId: res.body.entry.id, listings: [{ listingId: L.marina }, { listingId: L.jvc }] });

    const later = await as('agentA1').post(`/api/v1/applicants/${buyer}/listing-shares`, { listingIds: [L.marina], channel: 'email' });
    expect(later.status).toBe(201);
    // Matches say what was sent already, and when last — both ways.
    const sentAt = new Map((await matches()).map((m) => [m.listingId, m.lastSharedAt]));
    expect(Object.fromEntries(sentAt)).toEqual({ [L.marina]: later.body.shares[0].sharedAt, [L.jvc]: res.body.shares[1].sharedAt });
    const forListing = await as('agentA1').get(`/api/v1/listings/${L.marina}/matches`);
    expect(forListing.body.items).toEqual([expect.objectContaining({ applicantId: buyer, lastSharedAt: later.body.shares[0].sharedAt })]);
    const page1 = await sharesOf('agentA1', buyer, '?limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((x: { channel: string; listingId: string }) => [x.channel, x.listingId])).toEqual([['email', L.marina], ['whatsapp', L.jvc]]);
    const page2 = await sharesOf('agentA1', buyer, `?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ items: [{ listingId: L.marina, channel: 'whatsapp' }], nextCursor: null });
    // Was this listing sent already, and how?
    const marina = await sharesOf('agentA1', buyer, `?listingId=${L.marina}`);
    expect(marina.body.items.map((x: { channel: string }) => x.channel)).toEqual(['email', 'whatsapp']);
  });

  it('answers a retry with the same Idempotency-Key once, and refuses the key for another request', async () => {
    const key = { 'idempotency-key': 'share-7f3a-retry' };
    const first = await as('agentA1', key).post(`/api/v1/applicants/${buyer}/listing-shares`, { listingIds: [L.jvc], channel: 'sms' });
    expect(first.status).toBe(201);
    const events = (await sharedEvents(buyer)).length;
    const again = await as('agentA1', key).post(`/api/v1/applicants/${buyer}/listing-shares`, { listingIds: [L.jvc], channel: 'sms' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, entry: { id: first.body.entry.id }, shares: [{ id: first.body.shares[0].id }] });
    expect(await sharedEvents(buyer)).toHaveLength(events);
    const sms = await sharesOf('agentA1', buyer, `?listingId=${L.jvc}`);
    expect(sms.body.items.filter((x: { channel: string }) => x.channel === 'sms')).toHaveLength(1);

    const reused = await as('agentA1', key).post(`/api/v1/applicants/${buyer}/listing-shares`, { listingIds: [L.marina], channel: 'sms' });
    expect([reused.status, reused.body.code]).toEqual([409, 'idempotency-key-reused']);
  });

  it('refuses listings that are not on the market, saying which and why, and writes nothing', async () => {
    const unknown = '01a24c04-0000-7000-8000-000000000001';
    const before = (await sharesOf('agentA1', buyer, '?limit=100')).body.items.length;
    const res = await as('agentA1').post(`/api/v1/applicants/${buyer}/listing-shares`, { listingIds: [L.marina, L.draft, unknown], channel: 'email' });
    expect([res.status, res.body.code]).toEqual([409, 'listing-not-shareable']);
    expect(res.body.listings).toEqual([
      { listingId: L.draft, reason: 'it is draft' },
      { listingId: unknown, reason: expect.stringMatching(/^no such listing is advertised/) },
    ]);
    expect((await sharesOf('agentA1', buyer, '?limit=100')).body.items).toHaveLength(before);
  });

  it('validates the request with a reason per field', async () => {
    const post = (body: unknown, headers: Record<string, string> = {}) => as('agentA1', headers).post(`/api/v1/applicants/${buyer}/listing-shares`, body);
    const fields = async (body: unknown, headers?: Record<string, string>) => {
      const res = await post(body, headers);
      expect(res.status).toBe(400);
      return (res.body.errors as { field: string }[]).map((e) => e.field);
    };
    expect(await fields({ listingIds: [], channel: 'email' })).toEqual(['listingIds']);
    expect(await fields({ listingIds: [L.marina, L.marina], channel: 'email' })).toEqual(['listingIds']);
    expect(await fields({ listingIds: ['ALS-1'], channel: 'fax' })).toEqual(expect.arrayContaining(['listingIds.0', 'channel']));
    expect(await fields({ listingIds: [L.marina], channel: 'email', sentAt: 'now' })).toEqual(['(body)']);
    const key = await post({ listingIds: [L.marina], channel: 'email' }, { 'idempotency-key': 'has spaces in it' });
    expect([key.status, key.body.errors?.[0]?.field]).toEqual([400, 'Idempotency-Key']);
  });

  it('keeps to the applicant\'s visibility: not visible is 404 both ways; the manager of the team may', async () => {
    const stranger = await as('agentB').post(`/api/v1/applicants/${buyer}/listing-shares`, { listingIds: [L.jvc], channel: 'email' });
    expect(stranger.status).toBe(404);
    expect((await sharesOf('agentB', buyer)).status).toBe(404);
    const manager = await as('managerA').post(`/api/v1/applicants/${buyer}/listing-shares`, { listingIds: [L.jvc], channel: 'phone' });
    expect(manager.status).toBe(201);
    expect((await sharesOf('managerB', buyer)).status).toBe(404);
    expect((await sharesOf('agentB', otherBuyer)).body.items).toEqual([]);
  });

  it('moves the shares to the survivor of a merge', async () => {
    const twin = await applicant('agentA1', 'Layla B', '0502220003');
    expect((await as('agentA1').post(`/api/v1/applicants/${twin}/listing-shares`, { listingIds: [L.marina], channel: 'in_person' })).status).toBe(201);
    const survivor = await as('managerA').get(`/api/v1/applicants/${buyer}`);
    const merged = await as('managerA').post('/api/v1/applicants/merge', { survivorId: buyer, mergedId: twin, survivorVersion: survivor.body.version });
    expect(merged.status).toBe(200);
    const shares = await sharesOf('agentA1', buyer, '?limit=100');
    expect(shares.body.items[0]).toMatchObject({ channel: 'in_person', listingId: L.marina, applicantId: buyer });
    // Read through the tombstone, the shares are the survivor's.
    expect((await sharesOf('agentA1', twin, '?limit=100')).body.items).toEqual(shares.body.items);
  });
});
