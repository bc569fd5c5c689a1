import { type RunningService } from '@pace/platform';
import { type TestDatabase, api, createTestDatabase, startTestService, stopAll } from '@pace/testing';
import { applicantsService } from '../../../services/applicants/src/service';
import { gatewayService } from '../../../services/gateway/src/service';

// A real service on a real database: its /metrics is what Managed Prometheus scrapes in the cluster.
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

describe('GET /metrics', () => {
  it('serves process metrics, request durations by route pattern, and the event metrics', async () => {
    const http = api(applicants.url);
    const created = await http.post('/applicants', { firstName: 'Omar', lastName: 'Farouk', phones: ['050 765 4321'] });
    expect(created.status).toBe(201);
    expect((await http.get(`/applicants/${created.body.id}`)).status).toBe(200);
    expect((await http.get('/no/such/path')).status).toBe(404);

    const res = await fetch(`${applicants.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();

    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toMatch(/http_request_duration_seconds_count\{service="applicants",method="POST",route="\/applicants",status="201"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_count\{service="applicants",method="GET",route="\/applicants\/:id",status="200"\} 1/);
    expect(text).toMatch(/route="unmatched",status="404"/);
    // Probes and scrapes are not timed.
    expect(text).not.toMatch(/route="\/(metrics|health)/);
    for (const name of ['pace_events_published_total', 'pace_events_handled_total', 'pace_events_dead_lettered_total', 'pace_outbox_lag_seconds']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('labels requests the gateway proxies by their path with ids collapsed', async () => {
    const http = api(gateway.url);
    const created = await http.post('/api/v1/applicants', { firstName: 'Sara', lastName: 'Nasser', phones: ['050 111 2222'] });
    expect(created.status).toBe(201);
    expect((await http.get(`/api/v1/applicants/${created.body.id}`)).status).toBe(200);
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/http_request_duration_seconds_count\{service="gateway",method="POST",route="\/api\/v1\/applicants",status="201"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_count\{service="gateway",method="GET",route="\/api\/v1\/applicants\/:id",status="200"\} 1/);
  });
});
