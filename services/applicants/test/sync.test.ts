import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Caller } from '@pace/auth';
import { type RunningService } from '@pace/platform';
import { APPLICANTS_CONTRACT, type ApplicantsRpc, GrpcServiceClient, RemoteDomainError, type SyncApplicantsResponse } from '@pace/rpc';
import { TEST_CALLER_SECRET, type TestDatabase, applicantsOverGrpc, createTestDatabase, grpcTestEnv, startTestService, stopAll } from '@pace/testing';
import { applicantsService } from '../src/service';

// The sync RPCs at the applicants service itself: machines only, and the horizon that keeps a
// late-committing transaction from landing behind a client's cursor.
let db: TestDatabase;
let service: RunningService;
let grpc: ReturnType<typeof applicantsOverGrpc>;
let client: GrpcServiceClient<ApplicantsRpc>;
const machine: Caller = { kind: 'service', id: randomUUID(), name: 'salesforce-adapter', scopes: ['applicants:read'] };

const insertSql = `INSERT INTO applicants.applicant (id, first_name, last_name, phones, version) VALUES ($1, $2, 'Sql', ARRAY[$3], 1)`;

async function connect(): Promise<Client> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  return c;
}

/**
 * Waits until every transaction that ended before now is below the feed's horizon. The horizon is
 * the server's oldest running transaction, so another database's long transaction on a shared test
 * server could otherwise hold the feed back for a moment.
 */
async function settled(): Promise<void> {
  const c = await connect();
  try {
    const { rows } = await c.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const { rows: h } = await c.query<{ ok: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint > $1::bigint AS ok', [rows[0].xid]);
      if (h[0].ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the horizon did not pass');
  } finally {
    await c.end();
  }
}

const sync = (cursor = '', limit = 100): Promise<SyncApplicantsResponse> => client.call('syncApplicants', { limit, cursor }, machine);

beforeAll(async () => {
  db = await createTestDatabase();
  const env = await grpcTestEnv();
  service = await startTestService(applicantsService, { DATABASE_URL: db.url, EVENT_BUS: 'memory', ...env });
  grpc = applicantsOverGrpc(env.GRPC_PORT);
  client = new GrpcServiceClient<ApplicantsRpc>({ contract: APPLICANTS_CONTRACT, service: 'applicants', url: `127.0.0.1:${env.GRPC_PORT}`, secret: TEST_CALLER_SECRET, deadlineMs: 10_000 });
});

afterAll(async () => {
  grpc.close();
  client.close();
  await stopAll(service);
  await db.drop();
});

describe('SyncApplicants', () => {
  it('serves machines with applicants:read, not people (even admins)', async () => {
    const created = await grpc.create({ firstName: 'Hind', lastName: 'Saeed', phones: ['0509990001'] });
    await settled();
    const page = await sync();
    expect(page.items).toEqual([expect.objectContaining({ id: created.id, applicant: expect.objectContaining({ firstName: 'Hind', version: 1 }), tombstone: null })]);
    expect(page.hasMore).toBe(false);
    const refused = await client.call('syncApplicants', { limit: 10, cursor: '' }, { kind: 'user', id: randomUUID(), role: 'admin', teamIds: [] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RemoteDomainError);
    expect((refused as RemoteDomainError).kind).toBe('forbidden');
    const bad = await sync('%%%').catch((e: unknown) => e);
    expect(bad).toMatchObject({ kind: 'invalid', code: 'invalid-cursor' });
  });

  it('holds back a later commit until the earlier transaction ends; an updated_at cursor would lose the earlier row', async () => {
    const from = (await sync()).nextCursor;
    const slow = await connect();
    const fast = await connect();
    try {
      const early = randomUUID();
      const late = randomUUID();
      await slow.query('BEGIN');
      await slow.query(insertSql, [early, 'Early', '+971509990002']);
      await fast.query(insertSql, [late, 'Late', '+971509990003']); // its own transaction, committed now
      const during = await sync(from);
      expect(during.items.map((i) => i.id)).toEqual([]);
      expect(during.hasMore).toBe(false);
      await slow.query('COMMIT');
      await settled();
      const after = await sync(during.nextCursor);
      expect(after.items.map((i) => i.id)).toEqual([early, late]);
      // Why not updated_at: the early row carries the older timestamp although it committed last,
      // so a client that had read `late` and kept its updated_at as cursor would never see it.
      const { rows } = await slow.query<{ id: string }>(`SELECT id FROM applicants.applicant WHERE id = ANY($1) ORDER BY updated_at`, [[early, late]]);
      expect(rows.map((r) => r.id)).toEqual([early, late]);
    } finally {
      await slow.end();
      await fast.end();
    }
  });
});
