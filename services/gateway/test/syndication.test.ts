import { testBusEnv, type TestSession, eventually } from '@pace/testing';
import { completeListing } from '../../listings/test/fixtures';
import { ADMIN_EMAIL, DOMAIN, type Stack, createTeam, person, startStack, publishListing } from './stack';

/**
 * Portal status through the public API, end to end: an agent publishes through the gateway, the
 * listings service's events reach syndication over Pub/Sub (emulator), syndication validates and
 * puts the listing in the Bayut feed or refuses it, and its status events come back to the
 * listings service, which shows them beside the listing and tells the agent about a refusal.
 */
let stack: Stack;
const s: Record<string, TestSession> = {};

beforeAll(async () => {
  stack = await startStack(
    {},
    { syndication: true, bus: testBusEnv(), listingsEnv: { LISTINGS_MEDIA_PUBLIC_URL: 'https://cdn.pace.test/media' } },
  );
  const admin = await stack.session(ADMIN_EMAIL);
  s.admin = admin;
  const team = await createTeam(stack, admin, 'Marina');
  s.agent = (await person(stack, admin, `agent.sara@${DOMAIN}`, 'agent', [team])).session;
  s.manager = (await person(stack, admin, `manager.layla@${DOMAIN}`, 'manager', [team])).session;
}, 60_000);

afterAll(() => stack.close());

const as = (who: string) => ({
  get: (path: string) => stack.http.get(path, s[who].headers),
  post: (path: string, body: unknown, extra: Record<string, string> = {}) => stack.http.post(path, body, { ...s[who].headers, ...extra }),
  put: (path: string, body: unknown) => stack.http.put(path, body, s[who].headers),
});

/** Draft → image → submit → approve (manager) → publish, all through the gateway. */
const publish = (overrides: Record<string, unknown>) => publishListing(stack, s.agent, s.manager, completeListing({ portals: ['bayut'], ...overrides }));

describe('portal settings (admins)', () => {
  it('turns Bayut on and rotates its feed token; never shows credentials', async () => {
    const on = await as('admin').put('/api/v1/admin/portals/bayut', { enabled: true, options: { agentName: 'Allsop & Allsop', agentEmail: 'listings@allsop.test' } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ portal: 'bayut', enabled: true, hasCredentials: false });
    const token = await as('admin').post('/api/v1/admin/portals/bayut/access-token', {});
    expect(token.status).toBe(200);
    expect(token.body.feedPath).toBe(`/feeds/bayut/${token.body.token}.xml`);
    const pf = await as('admin').put('/api/v1/admin/portals/propertyfinder', { credentials: { apiKey: 'placeholder-key', apiSecret: 'placeholder-secret' } });
    expect(pf.status).toBe(200);
    const all = await as('admin').get('/api/v1/admin/portals');
    expect(all.body.items.map((p: { portal: string }) => p.portal)).toEqual(['propertyfinder', 'bayut', 'website']);
    expect(JSON.stringify(all.body)).not.toContain('placeholder-secret');
    expect(all.body.items[0]).toMatchObject({ hasCredentials: true, credentialsKeyId: 'k1' });
  });

  it('refuses agents, unknown portals and credentials for a pulled portal, with reasons', async () => {
    expect((await as('agent').get('/api/v1/admin/portals')).status).toBe(403);
    expect((await as('manager').put('/api/v1/admin/portals/bayut', { enabled: false })).status).toBe(403);
    const unknown = await as('admin').put('/api/v1/admin/portals/zillow', { enabled: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('portal');
    const relayed = await as('admin').put('/api/v1/admin/portals/bayut', { credentials: { apiKey: 'a', apiSecret: 'b' } });
    expect(relayed.status).toBe(400);
    expect(relayed.body.errors[0].message).toContain('takes no credentials');
    expect((await as('admin').get('/api/v1/admin/portals')).body.items[1].enabled).toBe(true);
  });
});

describe('portal status beside the listing', () => {
  it('shows a published listing live on Bayut, on the listing and in its status report', async () => {
    const id = await publish({});
    const listing = await eventually(
      () => as('agent').get(`/api/v1/listings/${id}`),
      (res) => res.body.publications?.some((p: { portal: string; state: string }) => p.portal === 'bayut' && p.state === 'live'),
    );
    expect(listing.body.publications).toEqual([expect.objectContaining({ portal: 'bayut', desiredState: 'published', state: 'live', message: null })]);
    const report = await as('agent').get(`/api/v1/listings/${id}/publications`);
    expect(report.status).toBe(200);
    const bayut = report.body.portals.find((p: { portal: string }) => p.portal === 'bayut');
    expect(bayut).toMatchObject({ optedIn: true, state: 'live', valid: true });
    expect(report.body.portals.find((p: { portal: string }) => p.portal === 'propertyfinder')).toMatchObject({ optedIn: false, desiredState: 'unpublished' });
  });

  it('keeps a listing the portal would refuse off it, says why, and tells its agent', async () => {
    const longTitle = 'Spacious two-bedroom apartment with a full marina view, a large balcony and two parking spaces nearby';
    expect(longTitle.length).toBeGreaterThan(100);
    const id = await publish({ title: { en: longTitle, ar: null } });
    const listing = await eventually(
      () => as('agent').get(`/api/v1/listings/${id}`),
      (res) => res.body.publications?.some((p: { state: string }) => p.state === 'failed'),
    );
    const bayut = listing.body.publications.find((p: { portal: string }) => p.portal === 'bayut');
    expect(bayut).toMatchObject({ state: 'failed', desiredState: 'published' });
    expect(bayut.message).toContain('at most 100');

    const validation = await as('agent').get(`/api/v1/listings/${id}/validation`);
    expect(validation.status).toBe(200);
    expect(validation.body.portals.find((p: { portal: string }) => p.portal === 'bayut')).toMatchObject({
      valid: false,
      problems: [expect.objectContaining({ field: 'title.en', severity: 'error' })],
    });

    const notices = await eventually(
      () => as('agent').get('/api/v1/listing-notices?unread=true'),
      (res) => res.body.items?.some((n: { listingId: string }) => n.listingId === id),
    );
    const notice = notices.body.items.find((n: { listingId: string }) => n.listingId === id);
    expect(notice).toMatchObject({ kind: 'portal-rejected' });
    expect(notice.message).toContain('not on Bayut');
    expect(notice.message).toContain('at most 100');

    // The feed does not carry it: only valid listings reach a portal.
    const token = (await as('admin').post('/api/v1/admin/portals/bayut/access-token', {})).body.token as string;
    const feed = await (await fetch(`${stack.syndication!.url}/feeds/bayut/${token}.xml`)).text();
    expect(feed).not.toContain(listing.body.reference);

    const failed = await as('manager').get('/api/v1/publications?state=failed');
    expect(failed.status).toBe(200);
    expect(failed.body.items.map((p: { listingId: string }) => p.listingId)).toContain(id);
    expect((await as('agent').get('/api/v1/publications?state=failed')).status).toBe(403);
    expect((await as('manager').get('/api/v1/publications?state=sideways')).status).toBe(400);
  });

  it('answers 404 for a listing syndication has never seen, and 400 for a malformed id', async () => {
    expect((await as('agent').get('/api/v1/listings/0190a6b2-0000-7000-8000-00000000ffff/publications')).status).toBe(404);
    const malformed = await as('agent').get('/api/v1/listings/not-an-id/validation');
    expect([malformed.status, malformed.body.errors[0].field]).toEqual([400, 'id']);
  });
});
