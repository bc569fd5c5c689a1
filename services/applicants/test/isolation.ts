import { type RunningService } from '@pace/platform';
import { type TestDatabase, applicantsOverGrpc, createTestDatabase, grpcTestEnv, startTestService, stopAll } from '@pace/testing';
import { applicantsService } from '../src/service';

/**
 * Shared by two test files that jest runs at the same time in two workers: each writes applicants
 * tagged with its own marker and must see only its own.
 */
export function isolationScenario(marker: string): void {
  let db: TestDatabase;
  let service: RunningService;
  let grpc: ReturnType<typeof applicantsOverGrpc>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = await grpcTestEnv();
    service = await startTestService(applicantsService, { DATABASE_URL: db.url, EVENT_BUS: 'memory', ...env });
    grpc = applicantsOverGrpc(env.GRPC_PORT);
  });

  afterAll(async () => {
    grpc.close();
    await stopAll(service);
    await db.drop();
  });

  it(`sees only the rows written by file ${marker}`, async () => {
    for (let i = 0; i < 20; i++) {
      await grpc.create({ firstName: marker, lastName: `n${i}`, emails: [`${marker}${i}@example.ae`] });
      // Give the other file time to write too, so both databases are busy at once.
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const page = await grpc.list(200);
    expect(page.items).toHaveLength(20);
    expect(new Set(page.items.map((a) => a.firstName))).toEqual(new Set([marker]));
  });
}
