import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopAll } from '@pace/testing';
import { solidPng } from '../src/demo/demo-image';
import { GcsStorageAdapter } from '../src/media/gcs-storage.adapter';
import { type FakeGcs, startFakeGcs } from './fake-gcs';
import { type Harness, PNG, completeListing, headersOf, startHarness } from './fixtures';

// A JPEG header that says 64×48 (JFIF APP0, then a baseline frame header), and filler.
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
  Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x30, 0x00, 0x40, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]),
  Buffer.alloc(200, 7),
  Buffer.from([0xff, 0xd9]),
]);
const PDF = Buffer.from('%PDF-1.4\n% floor plan\n');

describe('listing media on the local store', () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pace-media-'));
    h = await startHarness({}, dir);
  });

  afterAll(async () => {
    await stopAll(h.service);
    await h.db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores ordered images and floor plans with captions, serves their bytes, reorders and removes them', async () => {
    const listing = (await h.as('sara').post('/listings', completeListing())).body;
    const first = await h.upload('sara', listing.id, PNG, 'image/png', '?captionEn=Living%20room&captionAr=%D8%A7%D9%84%D8%B5%D8%A7%D9%84%D8%A9');
    expect(first.status).toBe(201);
    expect(first.body.version).toBe(2);
    // The size in pixels is read from the image (portals judge it).
    expect(first.body.media[0]).toMatchObject({ sizeBytes: PNG.length, width: 800, height: 600 });
    expect((await h.upload('sara', listing.id, JPEG, 'image/jpeg')).status).toBe(201);
    const plan = await h.upload('sara', listing.id, PDF, 'application/pdf', '?kind=floor_plan&captionEn=Layout');
    expect(plan.status).toBe(201);
    const media = plan.body.media as { id: string; kind: string; position: number; caption: { en: string; ar: string }; url: string; objectKey: string }[];
    expect(media.map((m) => [m.kind, m.position, m.caption.en])).toEqual([
      ['floor_plan', 0, 'Layout'],
      ['image', 0, 'Living room'],
      ['image', 1, null],
    ]);
    expect(media[1].caption.ar).toBe('الصالة');
    expect(existsSync(path.join(dir, media[1].objectKey))).toBe(true);

    const bytes = await fetch(`${h.service.url}${media[1].url.replace('/api/v1', '')}`, { headers: headersOf('sara') });
    expect(bytes.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await bytes.arrayBuffer()).equals(PNG)).toBe(true);

    const [living, kitchen] = [media[1].id, media[2].id];
    const reordered = await h.put('sara', `/listings/${listing.id}/media/order`, { kind: 'image', ids: [kitchen, living] });
    expect(reordered.status).toBe(200);
    expect(reordered.body.media.filter((m: { kind: string }) => m.kind === 'image').map((m: { id: string }) => m.id)).toEqual([kitchen, living]);
    expect((await h.put('sara', `/listings/${listing.id}/media/order`, { kind: 'image', ids: [kitchen] })).status).toBe(400);

    const captioned = await h.as('sara').patch(`/listings/${listing.id}/media/${kitchen}`, { caption: { en: 'Kitchen' } });
    expect(captioned.body.media.find((m: { id: string }) => m.id === kitchen).caption.en).toBe('Kitchen');

    const removed = await h.as('sara').delete(`/listings/${listing.id}/media/${kitchen}`);
    expect(removed.status).toBe(200);
    expect(removed.body.media.filter((m: { kind: string }) => m.kind === 'image').map((m: { id: string; position: number }) => [m.id, m.position])).toEqual([[living, 0]]);
    expect(existsSync(path.join(dir, media[2].objectKey))).toBe(false);

    const trail = await h.as('admin').get(`/listing-audit?listingId=${listing.id}`);
    expect(trail.body.items.map((a: { action: string }) => a.action)).toEqual(['media:remove', 'media:caption', 'media:reorder', 'media:add', 'media:add', 'media:add', 'create']);
    const events = await h.sql<{ type: string }>(`SELECT type FROM listings.outbox WHERE aggregate_id = $1 AND type = 'listings.listing-updated.v1'`, [listing.id]);
    expect(events).toHaveLength(6);
  });

  it('refuses files that are not what they claim, the wrong type for the kind, or someone else’s listing', async () => {
    const listing = (await h.as('sara').post('/listings', completeListing())).body;
    const fake = await h.upload('sara', listing.id, Buffer.from('not a png at all'), 'image/png');
    expect(fake.status).toBe(400);
    expect(fake.body.errors[0].message).toContain('not a image/png file');
    // A PNG signature with nothing readable behind it.
    const truncated = await h.upload('sara', listing.id, PNG.subarray(0, 12), 'image/png');
    expect([truncated.status, truncated.body.errors?.[0]?.message]).toEqual([400, 'the image/png image cannot be read (damaged or truncated)']);
    expect((await h.upload('sara', listing.id, PDF, 'application/pdf')).status).toBe(400);
    expect((await h.upload('sara', listing.id, PNG, 'text/plain')).status).toBe(400);
    expect((await h.upload('omar', listing.id, PNG)).status).toBe(404);
    expect((await h.as('sara').get(`/listings/${listing.id}`)).body.media).toEqual([]);
  });

  it('refuses a file over 15 MB with 413 before storing it', async () => {
    const listing = (await h.as('sara').post('/listings', completeListing())).body;
    const huge = Buffer.concat([PNG, Buffer.alloc(15 * 1024 * 1024)]);
    const res = await h.upload('sara', listing.id, huge);
    expect(res.status).toBe(413);
  });
});

describe('the Google Cloud Storage adapter (official client against a local fake of the JSON API)', () => {
  let gcs: FakeGcs;

  beforeAll(async () => {
    gcs = await startFakeGcs('pace-media-test');
  });

  afterAll(async () => {
    await gcs.close();
  });

  it('puts, gets and deletes objects by key, and builds CDN URLs', async () => {
    const store = new GcsStorageAdapter('pace-media-test', 'https://media.example.test/', { apiEndpoint: gcs.url, projectId: 'pace-test' });
    const png = solidPng(10, 10, [1, 2, 3]);
    await store.put('listings/a/b.png', png, 'image/png');
    expect(gcs.objects.get('listings/a/b.png')?.body.equals(png)).toBe(true);
    expect(gcs.objects.get('listings/a/b.png')?.contentType).toBe('image/png');
    const read = await store.get('listings/a/b.png');
    expect(read?.contentType).toBe('image/png');
    expect(read?.body.equals(png)).toBe(true);
    expect(await store.get('listings/a/missing.png')).toBeNull();
    await store.delete('listings/a/b.png');
    await store.delete('listings/a/b.png');
    expect(gcs.objects.size).toBe(0);
    expect(store.publicUrl('listings/a/b.png')).toBe('https://media.example.test/listings/a/b.png');
  });
});
