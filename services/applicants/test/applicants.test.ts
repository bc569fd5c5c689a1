import { Client } from 'pg';
import { type RunningService } from '@pace/platform';
import { type TestDatabase, api, createTestDatabase, startTestService, stopAll } from '@pace/testing';
import { applicantsService } from '../src/service';

let db: TestDatabase;
let service: RunningService;
let http: ReturnType<typeof api>;

async function countRows(): Promise<number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM applicants.applicant');
  await client.end();
  return Number(rows[0].n);
}

beforeAll(async () => {
  db = await createTestDatabase();
  service = await startTestService(applicantsService, { DATABASE_URL: db.url });
  http = api(service.url);
});

afterAll(async () => {
  await stopAll(service);
  await db.drop();
});

describe('applicants API', () => {
  it('creates an applicant with normalised phones and emails, and reads it back', async () => {
    const created = await http.post('/applicants', {
      firstName: ' Fatima ',
      lastName: 'Al Mansoori',
      phones: ['050 123 4567', '+971501234567'],
      emails: ['Fatima@Example.AE'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ firstName: 'Fatima', phones: ['+971501234567'], emails: ['fatima@example.ae'], version: 1 });

    const read = await http.get(`/applicants/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('rejects an invalid body with a problem listing every field, and writes nothing', async () => {
    const before = await countRows();
    const res = await http.post('/applicants', { firstName: '', phones: ['12345678901234567'], emails: ['not-an-email'], nickname: 'x' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, code: 'validation-failed', instance: '/applicants' });
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['(body)', 'emails.0', 'firstName', 'lastName', 'phones.0']);
    expect(await countRows()).toBe(before);
  });

  it('requires a way to reach the applicant', async () => {
    const res = await http.post('/applicants', { firstName: 'No', lastName: 'Contact' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'phones', message: 'give at least one phone or email' }]);
  });

  it('answers 404 as a problem for an unknown id and 400 for a malformed one', async () => {
    const missing = await http.get('/applicants/0190a6b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'applicant-not-found' });
    expect((await http.get('/applicants/42')).status).toBe(400);
  });

  it('pages through the list newest first with a cursor, without gaps or repeats', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      made.push((await http.post('/applicants', { firstName: `Page${i}`, lastName: 'Test', emails: [`page${i}@example.ae`] })).body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await http.get(cursor ? `/applicants?limit=3&cursor=${encodeURIComponent(cursor)}` : '/applicants?limit=3');
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((a: { id: string }) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    // Newest first: the ones made here come first, in reverse order of creation.
    expect(seen.slice(0, 7)).toEqual([...made].reverse());
    expect(seen.length).toBe(await countRows());
  });

  it('rejects a forged cursor and an out-of-range limit', async () => {
    const forged = await http.get('/applicants?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ code: 'invalid-cursor' });
    const tooMany = await http.get('/applicants?limit=5000');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].field).toBe('limit');
  });
});
