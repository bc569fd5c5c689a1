import { type RunningService } from '@pace/platform';
import type { Caller } from '@pace/auth';
import { type TestDatabase, applicantsOverGrpc, createTestDatabase, grpcTestEnv, startTestService, stopAll } from '@pace/testing';
import { DEMO, DemoData } from '../src/demo/demo-data';
import { applicantsService } from '../src/service';

let db: TestDatabase;
let service: RunningService;
let grpc: ReturnType<typeof applicantsOverGrpc>;

beforeAll(async () => {
  db = await createTestDatabase();
  const env = await grpcTestEnv();
  service = await startTestService(applicantsService, { DATABASE_URL: db.url, EVENT_BUS: 'memory', ...env, PACE_DEMO_DATA: 'true' });
  grpc = applicantsOverGrpc(env.GRPC_PORT);
});

afterAll(async () => {
  grpc.close();
  await stopAll(service);
  await db.drop();
});

describe('demo applicants (PACE_DEMO_DATA)', () => {
  it('are seeded once, with requirements and owners in the demo teams', async () => {
    const all = await grpc.list(50);
    expect(all.items).toHaveLength(4);
    expect(all.items.map((a) => a.firstName).sort()).toEqual(['Anna', 'Fatima', 'James', 'محمد'].sort());
    expect(await service.app.get(DemoData).seed()).toBe(0);
    expect((await grpc.list(50)).items).toHaveLength(4);
    const agent: Caller = { kind: 'user', id: DEMO.agent, role: 'agent', teamIds: [DEMO.team] };
    const mine = await grpc.list(50, '', agent);
    expect(mine.items.map((a) => a.firstName).sort()).toEqual(['Fatima', 'James']);
    expect(mine.items.find((a) => a.firstName === 'Fatima')?.requirements).toMatchObject({ intent: 'buy', budgetMaxFils: '400000000' });
  });
});
