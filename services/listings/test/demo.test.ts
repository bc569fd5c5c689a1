import { tmpdir } from 'node:os';
import path from 'node:path';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, signCaller } from '@pace/auth';
import { TEST_CALLER_SECRET, type TestDatabase, api, createTestDatabase, startTestService, stopAll } from '@pace/testing';
import { DEMO, DemoData } from '../src/demo/demo-data';
import { candidateOf } from '../src/lifecycle/lifecycle.service';
import { dubaiToday, publishProblems } from '../src/lifecycle/publishability';
import { ListingsRepository } from '../src/listings/listings.repository';
import { MediaRepository } from '../src/media/media.repository';
import { listingsService } from '../src/service';

let db: TestDatabase;
let service: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  db = await createTestDatabase();
  service = await startTestService(listingsService, {
    DATABASE_URL: db.url,
    EVENT_BUS: 'memory',
    CALLER_SIGNING_SECRET: TEST_CALLER_SECRET,
    LISTINGS_PERMIT_SWEEP_CHECK_MS: '0',
    LISTINGS_MEDIA_DIR: path.join(tmpdir(), `pace-listings-demo-${db.name}`),
    PACE_DEMO_DATA: 'true',
  });
});

afterAll(async () => {
  await stopAll(service);
  await db.drop();
});

const as = (id: string, role: 'agent' | 'manager' | 'admin', teamIds: string[] = []) => {
  const signed = signCaller({ kind: 'user', id, role, teamIds }, { secret: TEST_CALLER_SECRET, audience: 'listings' });
  return api(service.url, { [CALLER_HEADER]: signed.value, [CALLER_SIGNATURE_HEADER]: signed.signature });
};

describe('demo data', () => {
  it('seeds six listings once, each valid for its status', async () => {
    const all = await as(DEMO.admin, 'admin').get('/listings?limit=50');
    expect(all.body.items).toHaveLength(6);
    expect(await service.app.get(DemoData).seed()).toBe(0);
    expect((await as(DEMO.admin, 'admin').get('/listings?limit=50')).body.items).toHaveLength(6);
    // What is published or under offer would pass today's permit and portal checks.
    const listings = service.app.get(ListingsRepository);
    const media = service.app.get(MediaRepository);
    for (const item of all.body.items as { id: string; status: string; reference: string }[]) {
      if (item.status !== 'published' && item.status !== 'under_offer' && item.status !== 'pending_approval') continue;
      const row = await listings.findById(item.id);
      expect([item.reference, publishProblems(candidateOf(row!, await media.countImages(item.id)), dubaiToday())]).toEqual([item.reference, []]);
    }
  });

  it('lets the demo people try the visibility rules', async () => {
    const sara = await as(DEMO.agent, 'agent', [DEMO.team]).get('/listings?limit=50');
    expect(sara.body.items.every((l: { agentId: string }) => l.agentId === DEMO.agent)).toBe(true);
    const stock = await as(DEMO.agent, 'agent', [DEMO.team]).get('/listings?scope=stock&limit=50');
    expect(stock.body.items.some((l: { landlordHidden: boolean }) => l.landlordHidden)).toBe(true);
  });
});
