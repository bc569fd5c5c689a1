import { type RunningService } from '@pace/platform';
import { type TestDatabase, createTestDatabase, startFakeServer, startTestService, stopAll } from '@pace/testing';
import { applicantsService } from '../../applicants/src/service';
import { gatewayService } from '../src/service';

// The gateway's own test starts a real applicants service behind it (a process boundary in
// production; here the same code over loopback HTTP).
let db: TestDatabase;
let applicants: RunningService;
let gateway: RunningService;

beforeAll(async () => {
  db = await createTestDatabase();
  applicants = await startTestService(applicantsService, { DATABASE_URL: db.url });
  gateway = await startTestService(gatewayService, { DATABASE_URL: db.url, APPLICANTS_URL: applicants.url });
});

afterAll(async () => {
  await stopAll(applicants, gateway);
  await db.drop();
});

describe('gateway', () => {
  it('is live and ready', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('creates and lists applicants through /api/v1, keeping the caller request id', async () => {
    const created = await fetch(`${gateway.url}/api/v1/applicants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-gateway-test-1' },
      body: JSON.stringify({ firstName: 'Layla', lastName: 'Haddad', phones: ['+971 55 000 1111'] }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('req-gateway-test-1');
    const body = await created.json();
    expect(body.phones).toEqual(['+971550001111']);

    const list = await (await fetch(`${gateway.url}/api/v1/applicants?limit=10`)).json();
    expect(list.items.map((a: { id: string }) => a.id)).toContain(body.id);
  });

  it('passes validation problems through unchanged', async () => {
    const res = await fetch(`${gateway.url}/api/v1/applicants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Only' }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'lastName' })]));
  });

  it('answers 502 problem+json when the backing service is down', async () => {
    const dead = await startFakeServer(() => undefined);
    const deadUrl = dead.url;
    await dead.close();
    const lonely = await startTestService(gatewayService, { DATABASE_URL: db.url, APPLICANTS_URL: deadUrl });
    try {
      const res = await fetch(`${lonely.url}/api/v1/applicants`);
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await stopAll(lonely);
    }
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await fetch(`${gateway.url}/api/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
