import { createHmac } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { fromJsonString } from '@bufbuild/protobuf';
import { PubSub, type Subscription } from '@google-cloud/pubsub';
import { EventEnvelopeSchema } from '@pace/contracts';
import { parseBayutFeed, eventually } from '@pace/testing';
import { AGENT, type Harness, WEBHOOK_SECRET, snapshot, startHarness } from './harness';

// The service's edges as outsiders use them: PF's webhooks, Bayut's pulls, the website's reads,
// an Admin's settings.
let h: Harness;
let pubsub: PubSub;
let syndicationEvents: Subscription;
const received: { type: string; payload: Record<string, unknown> }[] = [];

beforeAll(async () => {
  h = await startHarness();
  pubsub = new PubSub({ projectId: 'pace-test' });
  const topic = pubsub.topic(`${h.bus.EVENTS_NAMESPACE}pace.syndication.v1`);
  const [exists] = await topic.exists();
  if (!exists) await topic.create().catch(() => undefined);
  [syndicationEvents] = await topic.createSubscription(`${h.bus.EVENTS_NAMESPACE}test-observer`);
  syndicationEvents.on('message', (m: { data: Buffer; ack: () => void }) => {
    const envelope = fromJsonString(EventEnvelopeSchema, m.data.toString('utf8'));
    received.push({ type: envelope.type, payload: envelope.payload as Record<string, unknown> });
    m.ack();
  });
});

afterAll(async () => {
  await syndicationEvents.close();
  await pubsub.close();
  await h.stop();
});

const webhook = (body: string, signature?: string) =>
  fetch(`${h.service.url}/webhooks/propertyfinder`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-signature': signature } : {}) }, body });
const sign = (body: string) => createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
const feedUrl = () => `${h.service.url}/feeds/bayut/${h.feedToken}.xml`;

describe('Property Finder webhooks', () => {
  it('refuses a missing or wrong signature (401 problem) and accepts the exact signed bytes', async () => {
    const body = JSON.stringify({ id: 'evt-sig-1', type: 'user.created', timestamp: new Date().toISOString(), entity: { id: '1', type: 'user' }, payload: {} });
    const unsigned = await webhook(body);
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('content-type')).toContain('application/problem+json');
    expect(await unsigned.json()).toMatchObject({ code: 'signature-missing' });
    const forged = await webhook(body, sign(body + ' '));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'signature-mismatch' });
    // Same JSON, other whitespace: the signature covers bytes, not meaning.
    const respaced = await webhook(JSON.stringify(JSON.parse(body), null, 2), sign(body));
    expect(respaced.status).toBe(401);
    const ok = await webhook(body, sign(body));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true, duplicate: false });
  });

  it('answers 400 for signed bytes that are not a PF event', async () => {
    const body = JSON.stringify({ hello: 'world' });
    const res = await webhook(body, sign(body));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'webhook-invalid' });
  });

  it('turns a lead into syndication.lead-received.v1 once, however often PF delivers it', async () => {
    const listing = snapshot();
    await h.emit('published', listing);
    const live = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live');
    const pfId = live.propertyfinder.portalListingId as string;
    const body = JSON.stringify({
      id: 'evt-lead-1',
      type: 'lead.created',
      timestamp: '2026-12-01T10:00:00Z',
      entity: { id: 'lead-77', type: 'lead' },
      payload: {
        id: 'lead-77',
        channel: 'whatsapp',
        status: 'sent',
        entityType: 'listing',
        listing: { id: pfId, reference: listing.reference },
        sender: { name: 'Fatima Zahra', contacts: [{ type: 'phone', value: '+971 50 555 1234' }, { type: 'email', value: 'Fatima@Example.com' }] },
      },
    });
    const first = await webhook(body, sign(body));
    const again = await webhook(body, sign(body));
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    const leads = await eventually(
      async () => received.filter((e) => e.type === 'syndication.lead-received.v1'),
      (l) => l.length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.filter((e) => e.type === 'syndication.lead-received.v1')).toHaveLength(1);
    expect(leads[0]!.payload).toMatchObject({
      lead: {
        source: 'propertyfinder',
        portalLeadId: 'lead-77',
        channel: 'whatsapp',
        listingReference: listing.reference,
        listingId: listing.id,
        portalListingId: pfId,
        senderName: 'Fatima Zahra',
        phones: ['+971 50 555 1234'],
        emails: ['Fatima@Example.com'],
      },
    });
    // Publication changes went out too, in order of version.
    const changes = received.filter((e) => e.type === 'syndication.publication-changed.v1').map((e) => e.payload.publication as Record<string, string>);
    const pfStates = changes.filter((c) => c.listingId === listing.id && c.portal === 'propertyfinder').sort((a, b) => Number(a.version) - Number(b.version)).map((c) => c.state);
    expect(pfStates[pfStates.length - 1]).toBe('live');
    expect(pfStates).toEqual(expect.arrayContaining(['pending', 'publishing', 'live']));
  });

  it('absorbs duplicated, out-of-order deliveries of the fake PF (one state change per event)', async () => {
    const listing = snapshot();
    await h.emit('published', listing);
    await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live');
    const pfId = (await h.status(listing.id)).propertyfinder.portalListingId as string;
    const before = (await h.sql<{ version: number }>(`SELECT version FROM syndication.publication WHERE listing_id = $1 AND portal = 'propertyfinder'`, [listing.id]))[0]!.version;
    const body = JSON.stringify({ id: 'evt-dup-1', type: 'listing.published', timestamp: new Date().toISOString(), entity: { id: pfId, type: 'listing' }, payload: {} });
    await Promise.all([webhook(body, sign(body)), webhook(body, sign(body)), webhook(body, sign(body))]);
    const after = (await h.sql<{ version: number }>(`SELECT version FROM syndication.publication WHERE listing_id = $1 AND portal = 'propertyfinder'`, [listing.id]))[0]!.version;
    expect(after).toBe(before);
    expect(await h.sql(`SELECT id FROM syndication.webhook_event WHERE id = 'evt-dup-1'`)).toHaveLength(1);
  });
});

describe('the Bayut feed over HTTP', () => {
  it('answers 404 for a wrong token, and 304 for an unchanged feed (ETag and Last-Modified)', async () => {
    expect((await fetch(`${h.service.url}/feeds/bayut/not-the-token.xml`)).status).toBe(404);
    const first = await fetch(feedUrl());
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/xml');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    await first.text();
    expect((await fetch(feedUrl(), { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(feedUrl(), { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    // A change makes a new ETag.
    const listing = snapshot();
    await h.emit('published', listing);
    await eventually(() => h.status(listing.id), (s) => s.bayut?.state === 'live');
    const changed = await fetch(feedUrl(), { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).toContain(listing.reference);
  });

  it('serves gzip when asked, and well-formed XML for hostile text (controls, emoji, Arabic, "]]>")', async () => {
    // (A lone surrogate cannot travel in an event: protobuf strings are UTF-8. The unit property test covers it.)
    const title = 'Villa ]]> <script>&amp; \u0000\u0007 bad \uFFFF 🏖️ فيلا';
    const listing = snapshot({ title: { en: title, ar: 'فيلا ]]> على البحر' }, description: { en: 'Line one\r\nLine two ]]]]>>', ar: '' }, portals: ['bayut'] });
    await h.emit('published', listing);
    await eventually(() => h.status(listing.id), (s) => s.bayut?.state === 'live');
    const res = await fetch(feedUrl(), { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    // fetch un-gzips transparently; check the header and parse what it decoded.
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const properties = parseBayutFeed(await res.text());
    const p = properties.find((x) => x.Property_Ref_No === listing.reference)!;
    expect(p.Property_Title).toBe('Villa ]]> <script>&amp;  bad  🏖️ فيلا');
    expect(p.Property_Title_AR).toBe('فيلا ]]> على البحر');
    expect(p.Property_Description).toBe('Line one\nLine two ]]]]>>');
    // Opted in to Bayut only: not on Property Finder.
    expect(h.pf.listings().some((l) => l.reference === listing.reference)).toBe(false);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      void import('node:http').then(({ get }) =>
        get(feedUrl(), { headers: { 'accept-encoding': 'gzip' } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      );
    });
    expect(gunzipSync(raw).toString('utf8')).toContain('<?xml version="1.0" encoding="UTF-8"?><Properties>');
  });

  it('stops serving a disabled feed, and a rotated token replaces the old one', async () => {
    const rotated = await h.admin.post('/settings/portals/bayut/access-token', {});
    expect(rotated.status).toBe(201);
    expect((await fetch(feedUrl())).status).toBe(404);
    h.feedToken = rotated.body.token;
    expect((await fetch(feedUrl())).status).toBe(200);
    await h.admin.post('/settings/portals/bayut/access-token', {}).then((r) => (h.feedToken = r.body.token));
    const off = await fetch(`${h.service.url}/settings/portals/bayut`, { method: 'PUT', headers: { 'content-type': 'application/json', ...h.adminHeaders }, body: JSON.stringify({ enabled: false }) });
    expect(off.status).toBe(200);
    expect((await fetch(feedUrl())).status).toBe(404);
    await fetch(`${h.service.url}/settings/portals/bayut`, { method: 'PUT', headers: { 'content-type': 'application/json', ...h.adminHeaders }, body: JSON.stringify({ enabled: true }) });
    expect((await fetch(feedUrl())).status).toBe(200);
  });
});

describe('portal settings', () => {
  it('keeps credentials sealed at rest (AES-256-GCM, key id stored) and never returns them', async () => {
    const rows = await h.sql<{ credentials: Record<string, string> }>(`SELECT credentials FROM syndication.portal_setting WHERE portal = 'propertyfinder'`);
    expect(rows[0]!.credentials).toMatchObject({ kid: 'k1', iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });
    expect(JSON.stringify(rows)).not.toContain('pf-test-secret');
    const view = await h.admin.get('/settings/portals');
    expect(view.status).toBe(200);
    expect(view.body.items.find((s: { portal: string }) => s.portal === 'propertyfinder')).toMatchObject({ enabled: true, hasCredentials: true, credentialsKeyId: 'k1' });
    expect(JSON.stringify(view.body)).not.toContain('pf-test-secret');
  });

  it('is for Admins only; callers without a signed context get 401, bad input 400 with the field', async () => {
    expect((await h.agent.get('/settings/portals')).status).toBe(403);
    expect((await fetch(`${h.service.url}/settings/portals`)).status).toBe(401);
    const bad = await h.admin.patch('/settings/portals/bayut', {});
    expect(bad.status).toBe(404);
    const invalid = await fetch(`${h.service.url}/settings/portals/bayut`, { method: 'PUT', headers: { 'content-type': 'application/json', ...h.adminHeaders }, body: JSON.stringify({ enabled: 'yes' }) });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ field: 'enabled' })]);
    const unknownPortal = await fetch(`${h.service.url}/settings/portals/zillow`, { method: 'PUT', headers: { 'content-type': 'application/json', ...h.adminHeaders }, body: JSON.stringify({ enabled: true }) });
    expect(unknownPortal.status).toBe(400);
  });
});

describe('the Allsop website read API', () => {
  it('needs the API key, pages with a cursor, and answers 304 for an unchanged page', async () => {
    for (let i = 0; i < 3; i++) await h.emit('published', snapshot({ portals: ['website'] }));
    await eventually(
      () => fetch(`${h.service.url}/portal/v1/listings?limit=200`, { headers: { 'x-api-key': h.websiteKey } }).then((r) => r.json() as Promise<{ items: unknown[] }>),
      (b) => b.items.length >= 3,
    );
    expect((await fetch(`${h.service.url}/portal/v1/listings`)).status).toBe(401);
    expect((await fetch(`${h.service.url}/portal/v1/listings`, { headers: { 'x-api-key': 'nope' } })).status).toBe(401);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await fetch(`${h.service.url}/portal/v1/listings?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { headers: { 'x-api-key': h.websiteKey } });
      const body = (await res.json()) as { items: { id: string; agentId?: string; images: string[] }[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      for (const item of body.items) {
        expect(item.agentId).toBeUndefined();
        expect(item.images[0]).toMatch(/^https:/);
      }
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const page = await fetch(`${h.service.url}/portal/v1/listings?limit=2`, { headers: { 'x-api-key': h.websiteKey } });
    const etag = page.headers.get('etag')!;
    expect((await fetch(`${h.service.url}/portal/v1/listings?limit=2`, { headers: { 'x-api-key': h.websiteKey, 'if-none-match': etag } })).status).toBe(304);
    const badCursor = await fetch(`${h.service.url}/portal/v1/listings?cursor=zzz`, { headers: { 'x-api-key': h.websiteKey } });
    expect(badCursor.status).toBe(400);
  });

  it('lists publications for managers, not for agents', async () => {
    expect((await h.agent.get('/publications?portal=website')).status).toBe(403);
    expect(AGENT.kind).toBe('user');
  });
});
