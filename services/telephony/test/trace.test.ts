import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { type RunningService } from '@pace/platform';
import { startTracing, stopTracing } from '@pace/telemetry';
import { type FakeGoogle, type TestDatabase, api, createTestDatabase, freePort, grpcTestEnv, signIn, startFakeGoogle, startTestService, stopAll, testBusEnv } from '@pace/testing';
import { applicantsService } from '../../applicants/src/service';
import { gatewayService } from '../../gateway/src/service';

/**
 * One trace from the browser to the event handler: a request to the gateway with a traceparent
 * → gRPC to applicants → outbox → Pub/Sub (emulator) → telephony, its own process. The handler's
 * log lines carry the request's trace id, and the spans recorded on the way share it, each the
 * child of the one before.
 */
const DOMAIN = 'pace.test';
const main = path.resolve(__dirname, '../../../dist/services/telephony/src/main.js');
const exporter = new InMemorySpanExporter();
let db: TestDatabase;
let google: FakeGoogle;
let applicants: RunningService;
let gateway: RunningService;
let telephony: ChildProcess;
let telephonyLog = '';

beforeAll(async () => {
  startTracing({ serviceName: 'pace-test', exporter: 'none', sampleRatio: 1, testExporter: exporter });
  db = await createTestDatabase();
  google = await startFakeGoogle();
  const bus = testBusEnv();
  const grpc = await grpcTestEnv();
  const port = await freePort();
  const telephonyPort = await freePort();
  telephony = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, PUBSUB_EMULATOR_HOST: process.env.PUBSUB_EMULATOR_HOST, METADATA_SERVER_DETECTION: 'none', DATABASE_URL: db.url, PORT: String(telephonyPort), LOG_LEVEL: 'debug', LOG_PRETTY: 'false', ...bus },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  telephony.stdout?.on('data', (chunk: Buffer) => (telephonyLog += chunk.toString()));
  applicants = await startTestService(applicantsService, { DATABASE_URL: db.url, ...bus, ...grpc });
  gateway = await startTestService(
    gatewayService,
    {
      DATABASE_URL: db.url,
      ...bus,
      APPLICANTS_GRPC_URL: `127.0.0.1:${grpc.GRPC_PORT}`,
      LISTINGS_URL: 'http://127.0.0.1:1',
      SYNDICATION_URL: 'http://127.0.0.1:1',
      CALLER_SIGNING_SECRET: grpc.CALLER_SIGNING_SECRET,
      OIDC_ISSUER: google.issuer,
      OIDC_CLIENT_ID: 'pace-trace-test',
      OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/api/v1/auth/callback`,
      ALLOWED_DOMAINS: DOMAIN,
      BOOTSTRAP_ADMIN_EMAILS: `admin@${DOMAIN}`,
    },
    port,
  );
  const until = Date.now() + 30_000;
  while (!(await fetch(`http://127.0.0.1:${telephonyPort}/health/ready`).then((r) => r.ok, () => false))) {
    if (Date.now() > until) throw new Error(`telephony did not start:\n${telephonyLog}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

afterAll(async () => {
  telephony?.kill('SIGTERM');
  await stopAll(applicants, gateway);
  await stopTracing();
  await google?.close();
  await db?.drop();
});

function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

it('carries the trace of a gateway request to the logs of the event handler it caused, across processes', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const callerSpan = '00f067aa0ba902b7';
  const admin = (await signIn(gateway.url, `admin@${DOMAIN}`)).session!;
  const created = await api(gateway.url, { ...admin.headers, traceparent: `00-${traceId}-${callerSpan}-01` }).post('/api/v1/applicants', {
    firstName: 'Traced',
    lastName: 'Request',
    phones: ['0507778899'],
  });
  expect(created.status).toBe(201);

  let handled: Record<string, unknown> | undefined;
  const until = Date.now() + 20_000;
  while (!handled && Date.now() < until) {
    handled = logLines(telephonyLog).find((line) => String(line.message).includes('applicants.applicant-created.v1') && line.traceId === traceId);
    if (!handled) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(handled).toMatchObject({ traceId, service: 'telephony' });
  expect(handled?.spanId).not.toBe(callerSpan);

  // The spans recorded in this process: gateway HTTP server → gRPC client → applicants gRPC server.
  const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const http = spans.find((s) => s.name === 'POST /api/v1/applicants');
  expect(http).toBeDefined();
  expect(parentOf(http!)).toBe(callerSpan);
  const grpcClient = spans.find((s) => s.name === 'ApplicantsService/createApplicant');
  expect(parentOf(grpcClient!)).toBe(http!.spanContext().spanId);
  const server = spans.find((s) => s.name.endsWith('/createApplicant') && s !== grpcClient);
  expect(parentOf(server!)).toBe(grpcClient!.spanContext().spanId);
  // The event written by that call names the applicants span as its parent; the handler's span continues it.
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const outbox = await client.query<{ data: string }>('SELECT data FROM applicants.outbox WHERE aggregate_id = $1', [created.body.id]);
  await client.end();
  expect(JSON.parse(outbox.rows[0].data).traceparent).toBe(`00-${traceId}-${server!.spanContext().spanId}-01`);
});
