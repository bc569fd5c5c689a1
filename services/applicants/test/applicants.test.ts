import { randomUUID } from 'node:crypto';
import { Metadata, credentials, status } from '@grpc/grpc-js';
import { Client } from 'pg';
import type { Caller } from '@pace/auth';
import { type RunningService } from '@pace/platform';
import { RemoteDomainError } from '@pace/rpc';
import { type TestDatabase, applicantsOverGrpc, createTestDatabase, grpcTestEnv, startTestService, stopAll } from '@pace/testing';
import { ValidationError } from '@pace/http';
import { applicantsService } from '../src/service';

// The applicants service as the gateway sees it: gRPC, every call with a signed caller context.
let db: TestDatabase;
let service: RunningService;
let grpcPort: string;
let grpc: ReturnType<typeof applicantsOverGrpc>;

async function countRows(): Promise<number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM applicants.applicant');
  await client.end();
  return Number(rows[0].n);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  db = await createTestDatabase();
  const env = await grpcTestEnv();
  grpcPort = env.GRPC_PORT;
  service = await startTestService(applicantsService, { DATABASE_URL: db.url, EVENT_BUS: 'memory', ...env });
  grpc = applicantsOverGrpc(grpcPort);
});

afterAll(async () => {
  grpc.close();
  await stopAll(service);
  await db.drop();
});

describe('applicants over gRPC', () => {
  it('creates an applicant with normalised phones and emails, and reads it back', async () => {
    const created = await grpc.create({ firstName: ' Fatima ', lastName: 'Al Mansoori', phones: ['050 123 4567', '+971501234567'], emails: ['Fatima@Example.AE'] });
    expect(created).toMatchObject({ firstName: 'Fatima', phones: ['+971501234567'], emails: ['fatima@example.ae'], version: 1 });
    expect(await grpc.get(created.id)).toEqual(created);
  });

  it('rejects an invalid request with every field problem, and writes nothing', async () => {
    const before = await countRows();
    const error = await failure(grpc.create({ firstName: '', lastName: '', phones: ['12345678901234567'], emails: ['not-an-email'] }));
    expect(error).toBeInstanceOf(ValidationError);
    const fields = (error as ValidationError).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['emails.0', 'firstName', 'lastName', 'phones.0']);
    expect(await countRows()).toBe(before);
  });

  it('requires a way to reach the applicant', async () => {
    const error = (await failure(grpc.create({ firstName: 'No', lastName: 'Contact' }))) as ValidationError;
    expect(error.errors).toEqual([{ field: 'phones', message: 'give at least one phone or email' }]);
  });

  it('answers NOT_FOUND (mapped to applicant-not-found) for an unknown id and INVALID_ARGUMENT for a malformed one', async () => {
    const missing = await failure(grpc.get('0190a6b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b'));
    expect(missing).toMatchObject({ kind: 'not-found', code: 'applicant-not-found' });
    expect(await failure(grpc.get('42'))).toBeInstanceOf(ValidationError);
  });

  it('pages through the list newest first with a cursor, without gaps or repeats', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await grpc.create({ firstName: `Page${i}`, lastName: 'Test', emails: [`page${i}@example.ae`] })).id);
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await grpc.list(3, cursor);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 7)).toEqual([...made].reverse());
    expect(seen.length).toBe(await countRows());
  });

  it('rejects a forged cursor and an out-of-range limit', async () => {
    expect(await failure(grpc.list(10, 'bm90LWEtY3Vyc29y'))).toMatchObject({ code: 'invalid-cursor' });
    const tooMany = (await failure(grpc.list(5000))) as ValidationError;
    expect(tooMany.errors[0].field).toBe('limit');
  });

  it('answers a stale version with a conflict carrying the current version', async () => {
    const created = await grpc.create({ firstName: 'Sara', lastName: 'Ali', phones: ['0501230000'] });
    await grpc.update(created.id, { version: 1, lastName: 'Ali Hassan' });
    const conflict = await failure(grpc.update(created.id, { version: 1, phones: ['0509990000'] }));
    expect(conflict).toBeInstanceOf(RemoteDomainError);
    expect(conflict).toMatchObject({ kind: 'conflict', code: 'version-conflict', details: { currentVersion: 2 } });
  });
});

describe('caller context and visibility, enforced by the service itself', () => {
  const team = randomUUID();
  const agentA: Caller = { kind: 'user', id: randomUUID(), role: 'agent', teamIds: [team] };
  const agentB: Caller = { kind: 'user', id: randomUUID(), role: 'agent', teamIds: [team] };
  const manager: Caller = { kind: 'user', id: randomUUID(), role: 'manager', teamIds: [team] };
  const otherManager: Caller = { kind: 'user', id: randomUUID(), role: 'manager', teamIds: [randomUUID()] };

  it('refuses calls without a caller context, with a forged one, or signed with another secret', async () => {
    const { loadSync } = await import('@grpc/proto-loader');
    const { loadPackageDefinition } = await import('@grpc/grpc-js');
    const { protoRoot, protoLoaderOptions } = await import('@pace/rpc');
    const definition = loadSync('pace/applicants/v1/applicants.proto', { ...protoLoaderOptions, includeDirs: [protoRoot()] });
    type Raw = { getApplicant: (req: object, md: Metadata, cb: (e: { code: number } | null) => void) => void; close: () => void };
    const pkg = loadPackageDefinition(definition) as unknown as { pace: { applicants: { v1: { ApplicantsService: new (url: string, c: unknown) => Raw } } } };
    const raw = new pkg.pace.applicants.v1.ApplicantsService(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
    const call = (md: Metadata) => new Promise<number>((resolve) => raw.getApplicant({ id: randomUUID() }, md, (e) => resolve(e ? e.code : status.OK)));
    expect(await call(new Metadata())).toBe(status.UNAUTHENTICATED);
    const forged = new Metadata();
    forged.set('x-pace-caller', Buffer.from(JSON.stringify({ v: 1, aud: 'applicants', iat: 0, exp: 9e9, c: { kind: 'user', id: randomUUID(), role: 'admin', teamIds: [] } })).toString('base64url'));
    forged.set('x-pace-caller-sig', 'AAAA');
    expect(await call(forged)).toBe(status.UNAUTHENTICATED);
    raw.close();
  });

  it('limits agents to their own records and managers to their teams, on get, list and update', async () => {
    const ownA = await grpc.create({ firstName: 'Own', lastName: 'A', phones: ['0501110001'] }, agentA);
    const ownB = await grpc.create({ firstName: 'Own', lastName: 'B', phones: ['0501110002'] }, agentB);
    expect(ownA).toMatchObject({ ownerId: agentA.id, teamId: team });

    expect((await grpc.get(ownA.id, agentA)).id).toBe(ownA.id);
    expect(await failure(grpc.get(ownB.id, agentA))).toMatchObject({ code: 'applicant-not-found' });
    expect(await failure(grpc.update(ownB.id, { version: 1, lastName: 'X' }, agentA))).toMatchObject({ code: 'applicant-not-found' });
    expect((await grpc.list(200, '', agentA)).items.map((a) => a.id)).toEqual([ownA.id]);

    expect((await grpc.list(200, '', manager)).items.map((a) => a.id).sort()).toEqual([ownA.id, ownB.id].sort());
    expect((await grpc.list(200, '', otherManager)).items).toEqual([]);
    expect(await failure(grpc.get(ownA.id, otherManager))).toMatchObject({ code: 'applicant-not-found' });
  });

  it('refuses an agent creating for someone else or in a team not theirs, and machines creating at all', async () => {
    expect(await failure(grpc.create({ firstName: 'X', lastName: 'Y', phones: ['0501110003'], ownerId: agentB.id }, agentA))).toMatchObject({ code: 'owner-not-you' });
    expect(await failure(grpc.create({ firstName: 'X', lastName: 'Y', phones: ['0501110003'], teamId: randomUUID() }, agentA))).toMatchObject({ code: 'team-not-yours' });
    const machine: Caller = { kind: 'service', id: randomUUID(), name: 'salesforce-adapter', scopes: ['applicants:read'] };
    expect(await failure(grpc.create({ firstName: 'X', lastName: 'Y', phones: ['0501110003'] }, machine))).toMatchObject({ kind: 'forbidden' });
    const listingsOnly: Caller = { ...machine, scopes: ['listings:read'] };
    expect(await failure(grpc.list(10, '', listingsOnly))).toMatchObject({ kind: 'forbidden' });
  });
});
