import { randomBytes, randomUUID } from 'node:crypto';
import { type DescMessage, create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { PubSub } from '@google-cloud/pubsub';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, type Caller, signCaller } from '@pace/auth';
import { ListingPublishedSchema, type ListingSnapshot, ListingSnapshotSchema, ListingUnpublishedSchema, ListingUpdatedSchema, eventTypeOf } from '@pace/contracts';
import { encodeEnvelope } from '@pace/events';
import type { RunningService } from '@pace/platform';
import {
  type FakePropertyFinder,
  TEST_CALLER_SECRET,
  type TestDatabase,
  api,
  createTestDatabase,
  startFakePropertyFinder,
  startTestService,
  stopAll,
  testBusEnv,
} from '@pace/testing';
import type { FakePropertyFinderOptions } from '@pace/testing';
import { syndicationService } from '../src/service';

export const WEBHOOK_SECRET = 'pf-webhook-secret-for-tests-01';
export const ADMIN: Caller = { kind: 'user', id: '0190a6b2-0000-7000-8000-000000000009', role: 'admin', teamIds: [] };
export const AGENT: Caller = { kind: 'user', id: '0190a6b2-0000-7000-8000-000000000001', role: 'agent', teamIds: [] };

export function signed(caller: Caller): Record<string, string> {
  const s = signCaller(caller, { secret: TEST_CALLER_SECRET, audience: 'syndication' });
  return { [CALLER_HEADER]: s.value, [CALLER_SIGNATURE_HEADER]: s.signature };
}

let counter = 0;
/** A complete, valid listing snapshot as the listings service would publish it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function snapshot(overrides: Record<string, any> = {}): ListingSnapshot {
  counter += 1;
  const now = new Date();
  return create(ListingSnapshotSchema, {
    id: uuidv7(),
    reference: `ALS-S-${String(Date.now() % 100000).padStart(5, '0')}${counter}`,
    status: 'published',
    purpose: 'sale',
    rentFrequency: '',
    category: 'residential',
    propertyType: 'apartment',
    price: { amountFils: 250_000_000n, currency: 'AED' },
    bedrooms: 2,
    bathrooms: 3,
    sizeSqft: 1450,
    location: { emirate: 'dubai', community: 'Dubai Marina', subCommunity: 'Marina Promenade', building: 'Delphine Tower' },
    title: { en: 'Two-bedroom apartment with a full marina view', ar: 'شقة غرفتين بإطلالة على المارينا' },
    description: { en: 'Bright corner unit, vacant on transfer, near the tram.', ar: 'شقة زاوية مشرقة' },
    amenities: ['balcony', 'shared-pool'],
    furnishing: 'unfurnished',
    completionStatus: 'ready',
    permit: { number: '7112345678', type: 'rera', issueDate: '2026-01-01', expiryDate: '2099-12-31' },
    agentId: AGENT.id,
    teamId: '',
    portals: ['propertyfinder', 'bayut', 'website'],
    media: [
      { id: randomUUID(), kind: 'image', position: 0, url: 'https://cdn.pace.test/media/1.jpg', contentType: 'image/jpeg', objectKey: 'a/1.jpg' },
      { id: randomUUID(), kind: 'image', position: 1, url: 'https://cdn.pace.test/media/2.jpg', contentType: 'image/jpeg', objectKey: 'a/2.jpg' },
    ],
    version: 1n,
    createdAt: timestampFromDate(now),
    updatedAt: timestampFromDate(now),
    statusChangedAt: timestampFromDate(now),
    ...overrides,
  } as Parameters<typeof create<typeof ListingSnapshotSchema>>[1]);
}


export interface Harness {
  db: TestDatabase;
  service: RunningService;
  pf: FakePropertyFinder;
  bus: Record<string, string>;
  /** The service's environment (to start it again on the same database). */
  env: Record<string, string>;
  admin: ReturnType<typeof api>;
  adminHeaders: Record<string, string>;
  agent: ReturnType<typeof api>;
  feedToken: string;
  websiteKey: string;
  /** Publishes a listing event onto the listings topic, as the listings service's relay does. */
  emit: (kind: 'published' | 'updated' | 'unpublished', listing: ListingSnapshot) => Promise<void>;
  /** The listing's publications as the status API returns them, by portal. */
  status: (listingId: string) => Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  stop: () => Promise<void>;
}

export async function startHarness(pfOptions: FakePropertyFinderOptions = {}, env: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const bus = testBusEnv();
  const pf = await startFakePropertyFinder({ publishDelayMs: 100, ...pfOptions });
  const serviceEnv: Record<string, string> = {
    DATABASE_URL: db.url,
    ...bus,
    CALLER_SIGNING_SECRET: TEST_CALLER_SECRET,
    SYNDICATION_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PROPERTYFINDER_API_URL: pf.url,
    PROPERTYFINDER_RETRY_BASE_MS: '20',
    PROPERTYFINDER_RETRIES: '2',
    PROPERTYFINDER_TIMEOUT_MS: '1000',
    SYNDICATION_WORKER_POLL_MS: '100',
    SYNDICATION_JOB_RETRY_MS: '300',
    ...env,
  };
  const service = await startTestService(syndicationService, serviceEnv);
  const callback = `${service.url}/webhooks/propertyfinder`;
  for (const type of ['listing.published', 'listing.publishFailed', 'listing.unpublished', 'listing.action', 'lead.created', 'lead.assigned']) pf.subscribe(type, callback, WEBHOOK_SECRET);
  const admin = api(service.url, signed(ADMIN));
  const agent = api(service.url, signed(AGENT));
  const put = async (portal: string, body: unknown) => {
    const res = await fetch(`${service.url}/settings/portals/${portal}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...signed(ADMIN) }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`settings ${portal}: ${res.status} ${await res.text()}`);
  };
  await put('propertyfinder', { enabled: true, credentials: { apiKey: 'pf-test-key', apiSecret: 'pf-test-secret', webhookSecret: WEBHOOK_SECRET }, options: { licenseNumber: '12345' } });
  await put('bayut', { enabled: true, options: { agentName: 'Allsop & Allsop', agentEmail: 'listings@allsop.test', agentPhone: '+97140000000' } });
  await put('website', { enabled: true });
  const feedToken = (await admin.post('/settings/portals/bayut/access-token', {})).body.token as string;
  const websiteKey = (await admin.post('/settings/portals/website/access-token', {})).body.token as string;

  const pubsub = new PubSub({ projectId: 'pace-test' });
  const topic = pubsub.topic(`${bus.EVENTS_NAMESPACE}pace.listings.v1`);
  const [exists] = await topic.exists();
  if (!exists) await topic.create().catch(() => undefined);
  const schemas: Record<string, DescMessage> = { published: ListingPublishedSchema, updated: ListingUpdatedSchema, unpublished: ListingUnpublishedSchema };
  const emit = async (kind: 'published' | 'updated' | 'unpublished', listing: ListingSnapshot) => {
    const schema = schemas[kind]!;
    const type = eventTypeOf(schema);
    const data = encodeEnvelope(schema, create(schema, { listing }) as never, {
      eventId: uuidv7(),
      type,
      aggregateId: listing.id,
      aggregateVersion: Number(listing.version),
      occurredAt: new Date(),
      producer: 'listings',
      traceparent: '',
    });
    await topic.publishMessage({ data: Buffer.from(data), attributes: { type } });
  };
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const harness: Harness = {
    db,
    service,
    pf,
    bus,
    env: serviceEnv,
    admin,
    adminHeaders: signed(ADMIN),
    agent,
    feedToken,
    websiteKey,
    emit,
    status: async (id) => {
      const res = await api(harness.service.url, signed(AGENT)).get(`/listings/${id}/publications`);
      if (res.status !== 200) return {};
      return Object.fromEntries((res.body.portals as { portal: string }[]).map((p) => [p.portal, p]));
    },
    sql: async (text, params) => (await pg.query(text, params)).rows,
    stop: async () => {
      await pubsub.close();
      await pg.end();
      await stopAll(harness.service);
      await pf.close();
      await db.drop();
    },
  };
  return harness;
}
