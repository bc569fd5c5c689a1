import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type RunningService } from '@pace/platform';
import { type TestSession, api, freePort, startTestService, stopAll, TEST_CALLER_SECRET } from '@pace/testing';
import { gatewayService } from '../src/service';
import { ADMIN_EMAIL, CLIENT_ID, DOMAIN, type Stack, startStack } from './stack';

const execFileAsync = promisify(execFile);

let stack: Stack;
let admin: TestSession;
const extra: RunningService[] = [];

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.session(ADMIN_EMAIL);
});

afterAll(async () => {
  await stopAll(...extra);
  await stack.close();
});

/** Another gateway on the same database and applicants service, with other settings. */
async function gatewayWith(env: Record<string, string>): Promise<ReturnType<typeof api>> {
  return api(await gatewayUrlWith(env));
}

async function gatewayUrlWith(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const gateway = await startTestService(
    gatewayService,
    {
      DATABASE_URL: stack.db.url,
      EVENT_BUS: 'memory',
      APPLICANTS_GRPC_URL: `127.0.0.1:${stack.grpcPort}`,
      LISTINGS_URL: 'http://127.0.0.1:1',
      SYNDICATION_URL: 'http://127.0.0.1:1',
      CALLER_SIGNING_SECRET: TEST_CALLER_SECRET,
      OIDC_ISSUER: stack.google.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/api/v1/auth/callback`,
      ALLOWED_DOMAINS: DOMAIN,
      MIGRATE_ON_START: 'false',
      ...env,
    },
    port,
  );
  extra.push(gateway);
  return gateway.url;
}

describe('OpenAPI 3.1 from the zod DTOs', () => {
  it('is served as JSON, with schemas, security from each route\'s policy, and problem responses', async () => {
    const res = await stack.http.get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    const get = doc.paths['/api/v1/applicants/{id}'].get;
    expect(get.security).toEqual([{ session: [] }, { apiToken: ['applicants:read'] }]);
    expect(get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Applicant' });
    expect(get.responses['404'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) })]);
    expect(doc.paths['/api/v1/auth/login'].get.security).toEqual([]);
    const list = doc.paths['/api/v1/applicants'].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(['limit', 'cursor', 'q', 'status', 'source', 'ownerId', 'teamId', 'tag', 'budgetFils', 'bedrooms', 'sort']);
    const applicant = doc.components.schemas.Applicant;
    expect(applicant.properties.ownerId).toMatchObject({ 'x-pace-references': 'User' });
    expect(doc.components.schemas.ApplicantCreation.additionalProperties).toBe(false);
    expect(doc.paths['/api/v1/applicants'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApplicantCreation' });
  });

  it('is the same document the CI export (no database, Nest preview mode) writes for Redocly', async () => {
    const served = (await stack.http.get('/api/openapi.json')).body;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pace-openapi-')), 'openapi.json');
    // Asynchronously: a blocked event loop would stall the gateway this test file runs in.
    await execFileAsync(process.execPath, [path.resolve(__dirname, '../../../dist/services/gateway/src/api/export-openapi.js'), file], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(served);
  });

  it('has Swagger UI at /api/docs', async () => {
    const res = await fetch(`${stack.gateway.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});

describe('hardening', () => {
  it('sends helmet\'s security headers', async () => {
    const res = await fetch(`${stack.gateway.url}/health/live`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers CORS for the configured frontend origin only', async () => {
    const url = await gatewayUrlWith({ FRONTEND_ORIGIN: 'https://app.pace.test' });
    const preflight = (origin: string, base = url) =>
      fetch(`${base}/api/v1/applicants`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-csrf-token' },
      });
    const ok = await preflight('https://app.pace.test');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.pace.test');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')).toContain('x-csrf-token');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    // Without a configured frontend, no origin is admitted.
    expect((await preflight('https://app.pace.test', stack.gateway.url)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits each user and each token to their own budget, answering 429 with Retry-After', async () => {
    const gateway = await gatewayWith({ RATE_LIMIT_USER_PER_MINUTE: '5', RATE_LIMIT_TOKEN_PER_MINUTE: '3', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000' });
    for (let i = 0; i < 5; i++) expect((await gateway.get('/api/v1/me', admin.headers)).status).toBe(200);
    const limited = await gateway.get('/api/v1/applicants', admin.headers);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    // Another person has their own budget.
    await stack.http.post('/api/v1/admin/users', { email: `limits@${DOMAIN}`, role: 'agent' }, admin.headers);
    const other = await stack.session(`limits@${DOMAIN}`);
    expect((await gateway.get('/api/v1/me', other.headers)).status).toBe(200);

    const principal = await stack.http.post('/api/v1/admin/service-principals', { name: 'ai-backend' }, admin.headers);
    const mint = async () => (await stack.http.post(`/api/v1/admin/service-principals/${principal.body.id}/tokens`, { scopes: ['applicants:read'] }, admin.headers)).body.token;
    const [a, b] = [await mint(), await mint()];
    for (let i = 0; i < 3; i++) expect((await gateway.get('/api/v1/applicants', { authorization: `Bearer ${a}` })).status).toBe(200);
    expect((await gateway.get('/api/v1/applicants', { authorization: `Bearer ${a}` })).status).toBe(429);
    expect((await gateway.get('/api/v1/applicants', { authorization: `Bearer ${b}` })).status).toBe(200);
  });
});

describe('gRPC failures as HTTP', () => {
  let silent: Server;
  const sockets: Socket[] = [];

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  });

  it('answers 504 when the domain service misses the deadline, 502 when it is unreachable', async () => {
    // Accepts connections, never answers: every call runs into its deadline.
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const hung = await gatewayWith({ APPLICANTS_GRPC_URL: `127.0.0.1:${(silent.address() as { port: number }).port}`, GRPC_DEADLINE_MS: '300' });
    const started = Date.now();
    const timeout = await hung.get('/api/v1/applicants', admin.headers);
    expect(timeout.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(timeout.headers.get('content-type')).toContain('application/problem+json');

    const dead = await gatewayWith({ APPLICANTS_GRPC_URL: `127.0.0.1:${await freePort()}` });
    const unreachable = await dead.get('/api/v1/applicants', admin.headers);
    expect(unreachable.status).toBe(502);
  });

  it('answers 502, not 401, when the gateway and the service disagree on the signing secret', async () => {
    const misconfigured = await gatewayWith({ CALLER_SIGNING_SECRET: 'another-secret-placeholder-0123456789abcdef' });
    const res = await misconfigured.get('/api/v1/applicants', admin.headers);
    expect(res.status).toBe(502);
  });

  it('keeps the caller\'s request id across the hop', async () => {
    const res = await stack.http.get('/api/v1/applicants/0190a6b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b', { ...admin.headers, 'x-request-id': 'req-edge-1' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'applicant-not-found', requestId: 'req-edge-1' });
  });
});
