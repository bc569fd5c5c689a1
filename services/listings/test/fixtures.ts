import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { type RunningService } from '@pace/platform';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, type Caller, signCaller } from '@pace/auth';
import { TEST_CALLER_SECRET, type TestDatabase, api, createTestDatabase, startTestService } from '@pace/testing';
import { solidPng } from '../src/demo/demo-image';
import { listingsService } from '../src/service';

export const TEAM_A = '0190a6b2-0000-7000-8000-0000000000a1';
export const TEAM_B = '0190a6b2-0000-7000-8000-0000000000b2';
export const people = {
  sara: { id: '0190a6b2-0000-7000-8000-000000000001', role: 'agent', teams: [TEAM_A] },
  adam: { id: '0190a6b2-0000-7000-8000-000000000002', role: 'agent', teams: [TEAM_A] },
  omar: { id: '0190a6b2-0000-7000-8000-000000000003', role: 'agent', teams: [TEAM_B] },
  layla: { id: '0190a6b2-0000-7000-8000-000000000004', role: 'manager', teams: [TEAM_A] },
  khalid: { id: '0190a6b2-0000-7000-8000-000000000005', role: 'manager', teams: [TEAM_B] },
  admin: { id: '0190a6b2-0000-7000-8000-000000000009', role: 'admin', teams: [] },
} as const;
export type Person = keyof typeof people;

/** The gateway's signed caller context for `who`, as the listings service verifies it. */
export function signedHeaders(caller: Caller, secret = TEST_CALLER_SECRET, audience = 'listings'): Record<string, string> {
  const signed = signCaller(caller, { secret, audience });
  return { [CALLER_HEADER]: signed.value, [CALLER_SIGNATURE_HEADER]: signed.signature };
}

export function headersOf(who: Person): Record<string, string> {
  const p = people[who];
  return signedHeaders({ kind: 'user', id: p.id, role: p.role, teamIds: [...p.teams] });
}

/** Dubai calendar date `offset` days from today. */
export const dubaiDay = (offset: number) => new Date(Date.now() + 4 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

export function completeListing(overrides: Record<string, unknown> = {}) {
  return {
    purpose: 'sale',
    propertyType: 'apartment',
    price: { amountFils: 250_000_000 },
    bedrooms: 2,
    bathrooms: 3,
    size: { value: 1450 },
    location: { emirate: 'dubai', community: 'Dubai Marina', subCommunity: 'Marina Promenade', building: 'Delphine Tower' },
    title: { en: 'Two-bedroom apartment with a full marina view', ar: 'شقة غرفتين بإطلالة على المارينا' },
    description: { en: 'Bright corner unit, vacant on transfer, near the tram.', ar: 'شقة زاوية مشرقة' },
    amenities: ['balcony', 'shared-pool'],
    furnishing: 'unfurnished',
    permit: { number: '7112345678', type: 'rera', issueDate: dubaiDay(-30), expiryDate: dubaiDay(300) },
    landlord: { name: 'Khalid Al Suwaidi', phone: '050 123 4567', email: 'K.Suwaidi@Example.AE' },
    portals: ['propertyfinder', 'bayut', 'website'],
    ...overrides,
  };
}

// The weight and size of a photo (portals refuse images under 5 KB and advise 800×600 or more).
export const PNG = solidPng(800, 600, [20, 120, 200], 4);

export interface Harness {
  db: TestDatabase;
  service: RunningService;
  as: (who: Person) => ReturnType<typeof api>;
  upload: (who: Person, listingId: string, body: Buffer, contentType?: string, query?: string) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  put: (who: Person, path: string, body: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  /** Creates a listing as `who` and moves it to `published` (approved by Layla or Khalid). */
  published: (who: Person, overrides?: Record<string, unknown>) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function startHarness(env: Record<string, string> = {}, mediaDir?: string): Promise<Harness> {
  const db = await createTestDatabase();
  const service = await startTestService(listingsService, {
    DATABASE_URL: db.url,
    EVENT_BUS: 'memory',
    CALLER_SIGNING_SECRET: TEST_CALLER_SECRET,
    LISTINGS_MEDIA_DIR: mediaDir ?? path.join(tmpdir(), `pace-listings-test-${db.name}`),
    LISTINGS_PERMIT_SWEEP_CHECK_MS: '0',
    ...env,
  });
  const as = (who: Person) => api(service.url, headersOf(who));
  const raw = async (who: Person, method: string, path: string, body: Buffer | string, contentType: string) => {
    const res = await fetch(service.url + path, { method, headers: { ...headersOf(who), 'content-type': contentType }, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const sql = async <T>(text: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const harness: Harness = {
    db,
    service,
    as,
    upload: (who, id, body, contentType = 'image/png', query = '') => raw(who, 'POST', `/listings/${id}/media${query}`, body, contentType),
    put: (who, path, body) => raw(who, 'PUT', path, JSON.stringify(body), 'application/json'),
    sql,
    published: async (who, overrides = {}) => {
      const created = await as(who).post('/listings', completeListing(overrides));
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
      const id = created.body.id;
      const up = await harness.upload(who, id, PNG);
      if (up.status !== 201) throw new Error(JSON.stringify(up.body));
      const reviewer: Person = people[who].teams[0] === TEAM_B ? 'khalid' : 'layla';
      for (const [actor, action] of [
        [who, 'submit'],
        [reviewer, 'approve'],
        [who, 'publish'],
      ] as const) {
        const res = await as(actor).post(`/listings/${id}/transitions`, { action });
        if (res.status !== 200) throw new Error(`${action}: ${JSON.stringify(res.body)}`);
      }
      return (await as(who).get(`/listings/${id}`)).body;
    },
  };
  return harness;
}
