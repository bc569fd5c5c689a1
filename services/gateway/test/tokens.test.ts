import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { type TestSession, eventually } from '@pace/testing';
import { CredentialCache } from '../src/auth/credential-cache';
import { ADMIN_EMAIL, type Stack, startStack } from './stack';

let stack: Stack;
let admin: TestSession;
let principalId: string;

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: stack.db.url });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function token(scopes: string[], expiresInDays = 30): Promise<{ token: string; id: string }> {
  const res = await stack.http.post(`/api/v1/admin/service-principals/${principalId}/tokens`, { scopes, expiresInDays }, admin.headers);
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return { token: res.body.token, id: res.body.apiToken.id };
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.session(ADMIN_EMAIL);
  const res = await stack.http.post('/api/v1/admin/service-principals', { name: 'salesforce-adapter', description: 'INTF-SF-01' }, admin.headers);
  principalId = res.body.id;
  // Something to read.
  await stack.http.post('/api/v1/applicants', { firstName: 'Token', lastName: 'Reader', phones: ['0501230001'] }, admin.headers);
});

afterAll(() => stack.close());

describe('API tokens of service principals', () => {
  it('are shown once and stored only as a hash, with a recognisable prefix', async () => {
    const created = await stack.http.post(`/api/v1/admin/service-principals/${principalId}/tokens`, { scopes: ['applicants:read'] }, admin.headers);
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^pace_[\w-]{43}$/);
    expect(created.body.apiToken).toMatchObject({ scopes: ['applicants:read'], prefix: created.body.token.slice(0, 11), revokedAt: null, lastUsedAt: null });
    const listed = await stack.http.get(`/api/v1/admin/service-principals/${principalId}/tokens`, admin.headers);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    const rows = await sql<{ token_hash: string }>('SELECT token_hash FROM gateway.api_token WHERE id = $1', [created.body.apiToken.id]);
    expect(rows[0].token_hash).toBe(createHash('sha256').update(created.body.token).digest('hex'));
    expect(JSON.stringify(await sql('SELECT * FROM gateway.api_token'))).not.toContain(created.body.token);
  });

  it('with applicants:read read every applicant; with listings:read cannot read applicants', async () => {
    const reader = await token(['applicants:read']);
    const list = await stack.http.get('/api/v1/applicants', bearer(reader.token));
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect((await stack.http.get(`/api/v1/applicants/${list.body.items[0].id}`, bearer(reader.token))).status).toBe(200);

    const listings = await token(['listings:read']);
    for (const path of ['/api/v1/applicants', `/api/v1/applicants/${list.body.items[0].id}`]) {
      const res = await stack.http.get(path, bearer(listings.token));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('scope-missing');
    }
    // No scope lets a machine write applicants or use the admin API.
    expect((await stack.http.post('/api/v1/applicants', { firstName: 'A', lastName: 'B', phones: ['0501230002'] }, bearer(reader.token))).status).toBe(403);
    expect((await stack.http.get('/api/v1/admin/users', bearer(reader.token))).status).toBe(403);
  });

  it('fail at once when revoked, expired, or their principal is deactivated', async () => {
    const t = await token(['applicants:read']);
    expect((await stack.http.get('/api/v1/applicants', bearer(t.token))).status).toBe(200);
    expect((await stack.http.delete(`/api/v1/admin/api-tokens/${t.id}`, admin.headers)).status).toBe(204);
    const revoked = await stack.http.get('/api/v1/applicants', bearer(t.token));
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('token-revoked');

    const old = await token(['applicants:read']);
    await sql(`UPDATE gateway.api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [old.id]);
    expect((await stack.http.get('/api/v1/applicants', bearer(old.token))).body.code).toBe('token-expired');

    const other = await stack.http.post('/api/v1/admin/service-principals', { name: 'mcp-server' }, admin.headers);
    const res = await stack.http.post(`/api/v1/admin/service-principals/${other.body.id}/tokens`, { scopes: ['applicants:read'] }, admin.headers);
    expect((await stack.http.get('/api/v1/applicants', bearer(res.body.token))).status).toBe(200);
    await stack.http.post(`/api/v1/admin/service-principals/${other.body.id}/deactivate`, {}, admin.headers);
    expect((await stack.http.get('/api/v1/applicants', bearer(res.body.token))).status).toBe(401);

    expect((await stack.http.get('/api/v1/applicants', bearer('pace_not-a-real-token'))).body.code).toBe('token-unknown');
  });

  it('are kept in memory only while changes are notified, and dropped when another process revokes them', async () => {
    const cache = stack.gateway.app.get(CredentialCache);
    // The local PostgreSQL delivers notifications between connections: the cache turns on.
    expect(await eventually(async () => cache.enabled, Boolean)).toBe(true);
    const t = await token(['applicants:read']);
    expect((await stack.http.get('/api/v1/applicants', bearer(t.token))).status).toBe(200);
    expect((await stack.http.get('/api/v1/applicants', bearer(t.token))).status).toBe(200);
    // As another gateway replica (or an operator) would: straight in the database.
    await sql(`UPDATE gateway.api_token SET revoked_at = now() WHERE id = $1`, [t.id]);
    const revoked = await eventually(() => stack.http.get('/api/v1/applicants', bearer(t.token)), (r) => r.status === 401, 5_000, 20);
    expect(revoked.body.code).toBe('token-revoked');

    const other = await stack.http.post('/api/v1/admin/service-principals', { name: 'cached-principal' }, admin.headers);
    const res = await stack.http.post(`/api/v1/admin/service-principals/${other.body.id}/tokens`, { scopes: ['applicants:read'] }, admin.headers);
    expect((await stack.http.get('/api/v1/applicants', bearer(res.body.token))).status).toBe(200);
    await sql(`UPDATE gateway.service_principal SET status = 'deactivated' WHERE id = $1`, [other.body.id]);
    const deactivated = await eventually(() => stack.http.get('/api/v1/applicants', bearer(res.body.token)), (r) => r.status === 401, 5_000, 20);
    expect(deactivated.body.code).toBe('principal-deactivated');
  });

  it('record their last use', async () => {
    const t = await token(['applicants:read']);
    await stack.http.get('/api/v1/applicants', bearer(t.token));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const listed = await stack.http.get(`/api/v1/admin/service-principals/${principalId}/tokens`, admin.headers);
    const mine = listed.body.items.find((x: { id: string }) => x.id === t.id);
    expect(Date.parse(mine.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('are audited', async () => {
    const log = await stack.http.get('/api/v1/admin/audit-log?action=api-token.revoked', admin.headers);
    expect(log.body.items[0]).toMatchObject({ targetType: 'api-token', before: { revokedAt: null }, after: { revokedAt: expect.any(String) } });
    expect(JSON.stringify((await stack.http.get('/api/v1/admin/audit-log?limit=200', admin.headers)).body)).not.toMatch(/pace_[\w-]{43}/);
  });
});

describe('GET /api/v1/schema (INTF-AI-02)', () => {
  it('describes the entities a schema:read + applicants:read token may query, with fields, enums and relations', async () => {
    const t = await token(['schema:read', 'applicants:read']);
    const res = await stack.http.get('/api/v1/schema', bearer(t.token));
    expect(res.status).toBe(200);
    expect(res.body.entities.map((e: { name: string }) => e.name)).toEqual(['Applicant']);
    const applicant = res.body.entities[0];
    expect(applicant.requiredScope).toBe('applicants:read');
    expect(applicant.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'id', type: 'string', format: 'uuid', required: true }),
        expect.objectContaining({ name: 'ownerId', nullable: true, references: 'User' }),
        expect.objectContaining({ name: 'phones', type: 'array', description: expect.stringContaining('E.164') }),
      ]),
    );
    expect(applicant.relations).toEqual(expect.arrayContaining([{ field: 'teamId', entity: 'Team', kind: 'many-to-one' }]));
    // Only operations this token may call: reads, not create/update.
    expect(applicant.operations.map((o: { method: string; path: string }) => `${o.method} ${o.path}`).sort()).toEqual([
      'GET /api/v1/applicants',
      'GET /api/v1/applicants/{id}',
      'GET /api/v1/applicants/{id}/listing-shares',
      'GET /api/v1/applicants/{id}/timeline',
    ]);
  });

  it('matches the OpenAPI document it is derived from', async () => {
    const t = await token(['schema:read', 'applicants:read']);
    const schema = (await stack.http.get('/api/v1/schema', bearer(t.token))).body;
    const openapi = (await stack.http.get('/api/openapi.json')).body;
    const component = openapi.components.schemas.Applicant;
    expect(schema.entities[0].fields.map((f: { name: string }) => f.name)).toEqual(Object.keys(component.properties));
    expect(schema.entities[0].description).toBe(component.description);
  });

  it('shows a token without applicants:read no applicants, and refuses one without schema:read', async () => {
    const listingsOnly = await token(['schema:read', 'listings:read']);
    expect((await stack.http.get('/api/v1/schema', bearer(listingsOnly.token))).body.entities.map((e: { name: string }) => e.name)).toEqual(['Listing']);
    expect((await stack.http.get('/api/v1/schema', bearer((await token(['applicants:read'])).token))).status).toBe(403);
  });

  it('shows admins the people entities too', async () => {
    const res = await stack.http.get('/api/v1/schema', admin.headers);
    expect(res.body.entities.map((e: { name: string }) => e.name).sort()).toEqual(['Applicant', 'Listing', 'Team', 'User']);
  });
});
