import type { TestSession } from '@pace/testing';
import { solidPng } from '../../listings/src/demo/demo-image';
import { completeListing, dubaiDay } from '../../listings/test/fixtures';
import { ADMIN_EMAIL, DOMAIN, type Stack, createTeam, person, startStack } from './stack';

/**
 * Listings through the public API: the gateway checks policy and shape, signs the caller, and
 * the listings service decides visibility, landlord contacts and the lifecycle. Its problems
 * (409 with what a listing lacks) reach the client unchanged.
 */
let stack: Stack;
const s: Record<string, TestSession> = {};
let teamA: string;
let agentA1: string;

// The listings service's own test listing, as a draft without a permit, for Bayut only.
const draft = (overrides: Record<string, unknown> = {}) => completeListing({ permit: null, portals: ['bayut'], ...overrides });

beforeAll(async () => {
  stack = await startStack({}, { listings: true });
  const admin = await stack.session(ADMIN_EMAIL);
  s.admin = admin;
  teamA = await createTeam(stack, admin, 'Marina');
  const teamB = await createTeam(stack, admin, 'Downtown');
  const a1 = await person(stack, admin, `agent.a1@${DOMAIN}`, 'agent', [teamA]);
  agentA1 = a1.id;
  s.agentA1 = a1.session;
  s.managerA = (await person(stack, admin, `manager.a@${DOMAIN}`, 'manager', [teamA])).session;
  s.agentB = (await person(stack, admin, `agent.b@${DOMAIN}`, 'agent', [teamB])).session;
});

afterAll(() => stack.close());

const as = (who: string) => ({
  get: (path: string) => stack.http.get(path, s[who].headers),
  post: (path: string, body: unknown, extra: Record<string, string> = {}) => stack.http.post(path, body, { ...s[who].headers, ...extra }),
  patch: (path: string, body: unknown, extra: Record<string, string> = {}) => stack.http.patch(path, body, { ...s[who].headers, ...extra }),
});

describe('listings through the gateway', () => {
  let id: string;

  it('creates a draft for the caller, with its version as ETag', async () => {
    const res = await as('agentA1').post('/api/v1/listings', draft());
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({ status: 'draft', agentId: agentA1, teamId: teamA, landlord: { name: 'Khalid Al Suwaidi', phone: '+971501234567' } });
    id = res.body.id;
  });

  it('refuses a malformed listing at the edge with every field named, and writes nothing', async () => {
    const before = (await as('admin').get('/api/v1/listings?limit=200')).body.items.length;
    const res = await as('agentA1').post('/api/v1/listings', { purpose: 'lease', propertyType: 'castle', bedrooms: -1 });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['purpose', 'propertyType', 'bedrooms', 'location']));
    expect((await as('admin').get('/api/v1/listings?limit=200')).body.items.length).toBe(before);
  });

  it('shows a draft to its agent, the team\'s manager and admins only', async () => {
    expect((await as('agentA1').get(`/api/v1/listings/${id}`)).status).toBe(200);
    expect((await as('managerA').get(`/api/v1/listings/${id}`)).body.landlordHidden).toBe(false);
    expect((await as('admin').get(`/api/v1/listings/${id}`)).status).toBe(200);
    expect((await as('agentB').get(`/api/v1/listings/${id}`)).status).toBe(404);
    const other = await as('agentB').get('/api/v1/listings?scope=stock');
    expect(other.body.items.map((l: { id: string }) => l.id)).not.toContain(id);
  });

  it('relays the listing service\'s 409: no approval for publishing in Dubai without a permit', async () => {
    const submitted = await as('agentA1').post(`/api/v1/listings/${id}/transitions`, { action: 'submit' }, { 'if-match': '"1"' });
    expect(submitted.status).toBe(200);
    const refused = await as('managerA').post(`/api/v1/listings/${id}/transitions`, { action: 'approve' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'listing-not-publishable', instance: `/api/v1/listings/${id}/transitions` });
    expect(refused.body.missing).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'permit.number', requiredBy: 'permit' })]));
    expect(refused.body.requestId).toBe(refused.headers.get('x-request-id'));
  });

  it('uploads an image through the gateway and serves its bytes back', async () => {
    const png = solidPng(32, 20, [200, 40, 40]);
    const up = await fetch(`${stack.gateway.url}/api/v1/listings/${id}/media?kind=image&captionEn=Living%20room`, {
      method: 'POST',
      headers: { ...s.agentA1.headers, 'content-type': 'image/png' },
      body: png,
    });
    expect(up.status).toBe(201);
    const listing = (await up.json()) as { media: { id: string; caption: { en: string } }[] };
    expect(listing.media[0].caption.en).toBe('Living room');
    const bytes = await fetch(`${stack.gateway.url}/api/v1/listings/${id}/media/${listing.media[0].id}/content`, { headers: s.agentA1.headers });
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await bytes.arrayBuffer()).equals(png)).toBe(true);
  });

  it('publishes once the permit is there; others then see it without the landlord', async () => {
    const current = await as('agentA1').get(`/api/v1/listings/${id}`);
    const fixed = await as('agentA1').patch(
      `/api/v1/listings/${id}`,
      { permit: { number: '7112345678', type: 'rera', issueDate: dubaiDay(-30), expiryDate: dubaiDay(300) } },
      { 'if-match': current.headers.get('etag')! },
    );
    expect(fixed.status).toBe(200);
    expect((await as('managerA').post(`/api/v1/listings/${id}/transitions`, { action: 'approve' })).status).toBe(200);
    expect((await as('agentA1').post(`/api/v1/listings/${id}/transitions`, { action: 'publish' })).status).toBe(200);
    const seen = await as('agentB').get(`/api/v1/listings/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: 'published', landlord: null, landlordHidden: true });
    expect((await as('agentB').patch(`/api/v1/listings/${id}`, { bedrooms: 3, version: seen.body.version })).status).toBe(403);
    const image = await fetch(`${stack.gateway.url}/api/v1/listings/${id}/media/${seen.body.media[0].id}/content`, { headers: s.agentB.headers });
    expect(image.status).toBe(200);
  });

  it('answers a stale If-Match with 409 and the current version', async () => {
    const res = await as('agentA1').patch(`/api/v1/listings/${id}`, { bedrooms: 3 }, { 'if-match': '"1"' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'version-conflict' });
    expect(res.body.currentVersion).toBeGreaterThan(1);
  });

  it('lets a token with listings:read read listings without landlords, and not one with applicants:read', async () => {
    const principal = await as('admin').post('/api/v1/admin/service-principals', { name: 'website-adapter' });
    const token = async (scopes: string[]) => (await as('admin').post(`/api/v1/admin/service-principals/${principal.body.id}/tokens`, { scopes })).body.token as string;
    const reader = { authorization: `Bearer ${await token(['listings:read'])}` };
    const other = { authorization: `Bearer ${await token(['applicants:read'])}` };
    const read = await stack.http.get(`/api/v1/listings/${id}`, reader);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ landlord: null, landlordHidden: true });
    expect((await stack.http.get('/api/v1/listings', reader)).body.items.map((l: { id: string }) => l.id)).toContain(id);
    expect((await stack.http.get(`/api/v1/listings/${id}`, other)).status).toBe(403);
    expect((await stack.http.post('/api/v1/listings', draft(), reader)).status).toBe(403);
  });

  it('documents the listing routes and the Listing entity', async () => {
    const doc = (await stack.http.get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/listings', '/api/v1/listings/{id}', '/api/v1/listings/{id}/transitions', '/api/v1/listing-notices']));
    expect(doc.components.schemas.Listing.properties.status.enum).toContain('published');
    const schema = (await stack.http.get('/api/v1/schema', s.admin.headers)).body;
    expect(JSON.stringify(schema)).toContain('Listing');
  });
});

describe('when the listings service is down', () => {
  let down: Stack;
  beforeAll(async () => {
    down = await startStack();
  });
  afterAll(() => down.close());

  it('answers 502 with a reason', async () => {
    const admin = await down.session(ADMIN_EMAIL);
    const res = await down.http.get('/api/v1/listings', admin.headers);
    expect(res.status).toBe(502);
    expect(res.body.detail).toContain('listings service is not reachable');
  });
});
