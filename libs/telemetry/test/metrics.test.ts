import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { type RunningService } from '@pace/platform';
import { type TestDatabase, createTestDatabase, startTestService, stopAll } from '@pace/testing';
import { TelemetryModule } from '../src';
import { applicantsService } from '../../../services/applicants/src/service';

// /metrics of a real service on a real database (what Managed Prometheus scrapes in the
// cluster), and the request-duration labels on a small app with a parameterised route. The
// service test touches only platform routes, so it holds whatever the service's own API becomes.
let db: TestDatabase;
let applicants: RunningService;
let app: INestApplication;
let appUrl: string;

@Controller('things')
class ThingsController {
  @Get(':id')
  one(@Param('id') id: string): { id: string } {
    return { id };
  }
}

@Module({ imports: [TelemetryModule.forService('spec-app')], controllers: [ThingsController] })
class SpecApp {}

beforeAll(async () => {
  db = await createTestDatabase();
  // Extra variables are for services that serve gRPC; a schema without them ignores them.
  applicants = await startTestService(applicantsService, { DATABASE_URL: db.url, GRPC_PORT: '0', CALLER_SIGNING_SECRET: 'metrics-test-secret-'.repeat(3) });
  app = await NestFactory.create(SpecApp, { logger: false });
  await app.listen(0, '127.0.0.1');
  appUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
});

afterAll(async () => {
  await stopAll(applicants, app);
  await db.drop();
});

const scrape = async (url: string) => {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};

describe('GET /metrics', () => {
  it('serves process metrics, the event backbone metrics and request durations of a running service', async () => {
    expect((await fetch(`${applicants.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${applicants.url}/no/such/path`)).status).toBe(404);
    const text = await scrape(applicants.url);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    for (const name of ['pace_events_published_total', 'pace_events_handled_total', 'pace_events_dead_lettered_total', 'pace_outbox_lag_seconds']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    // Unknown paths share one label value; probes and scrapes are not timed.
    expect(text).toMatch(/http_request_duration_seconds_count\{service="applicants",method="GET",route="unmatched",status="404"\} 1/);
    expect(text).not.toMatch(/route="\/(metrics|health)/);
  });

  it('labels requests by route pattern, not by path', async () => {
    for (const id of ['a1', 'b2', 'c3']) expect((await fetch(`${appUrl}/things/${id}`)).status).toBe(200);
    const text = await scrape(appUrl);
    expect(text).toMatch(/http_request_duration_seconds_count\{service="spec-app",method="GET",route="\/things\/:id",status="200"\} 3/);
    expect(text).not.toContain('/things/a1');
  });
});
