import { type RunningService } from '@pace/platform';
import { type TestDatabase, api, createTestDatabase, startFakeServer, startTestService, stopAll } from '@pace/testing';
import { applicantsService } from '../../applicants/src/service';
import { gatewayService } from '../src/service';

// The gateway's test starts a real applicants service behind it (a process boundary in
// production; here the same code over loopback HTTP).
let db: TestDatabase;
let applicants: RunningService;
let gateway: RunningService;
let http: ReturnType<typeof api>;

beforeAll(async () => {
  db = await createTestDatabase();
  applicants = await startTestService(applicantsService, { DATABASE_URL: db.url });
  gateway = await startTestService(gatewayService, { DATABASE_URL: db.url, APPLICANTS_URL: applicants.url });
  http = api(gateway.url);
});

afterAll(async () => {
  await stopAll(applicants, gateway);
  await db.drop();
});

describe('gateway', () => {
  it('is live and ready', async () => {
    expect((await http.get('/health/live')).status).toBe(200);
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('creates and lists applicants through /api/v1, keeping the caller request id', async () => {
    const created = await http.post(
      '/api/v1/applicants',
      { firstName: 'Layla', lastName: 'Haddad', phones: ['+971 55 000 1111'] },
      { 'x-request-id': 'req-gateway-test-1' },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('req-gateway-test-1');
    expect(created.body.phones).toEqual(['+971550001111']);

    const list = await http.get('/api/v1/applicants?limit=10');
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(created.body.id);
  });

  it('passes validation problems through unchanged', async () => {
    const res = await http.post('/api/v1/applicants', { firstName: 'Only' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'lastName' })]));
  });

  it('answers 502 problem+json when the backing service is down', async () => {
    const dead = await startFakeServer(() => undefined);
    await dead.close();
    const lonely = await startTestService(gatewayService, { DATABASE_URL: db.url, APPLICANTS_URL: dead.url });
    try {
      const res = await api(lonely.url).get('/api/v1/applicants');
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await stopAll(lonely);
    }
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await http.get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
