import { type RunningService } from '@pace/platform';
import { type TestDatabase, api, createTestDatabase, startTestService, stopAll } from '@pace/testing';
import { applicantsService } from '../src/service';

/**
 * Shared by two test files that jest runs at the same time in two workers: each writes applicants
 * tagged with its own marker and must see only its own.
 */
export function isolationScenario(marker: string): void {
  let db: TestDatabase;
  let service: RunningService;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestService(applicantsService, { DATABASE_URL: db.url });
  });

  afterAll(async () => {
    await stopAll(service);
    await db.drop();
  });

  it(`sees only the rows written by file ${marker}`, async () => {
    for (let i = 0; i < 20; i++) {
      const res = await api(service.url).post('/applicants', { firstName: marker, lastName: `n${i}`, emails: [`${marker}${i}@example.ae`] });
      expect(res.status).toBe(201);
      // Give the other file time to write too, so both databases are busy at once.
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const page = await api(service.url).get('/applicants?limit=200');
    expect(page.body.items).toHaveLength(20);
    expect(new Set(page.body.items.map((a: { firstName: string }) => a.firstName))).toEqual(new Set([marker]));
  });
}
