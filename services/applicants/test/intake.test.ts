import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { PubSub } from '@google-cloud/pubsub';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Caller } from '@pace/auth';
import { LeadReceivedSchema } from '@pace/contracts';
import { encodeEnvelope } from '@pace/events';
import { type RunningService } from '@pace/platform';
import { APPLICANTS_CONTRACT, type ApplicantsRpc, GrpcServiceClient, type IntakeLeadRequest } from '@pace/rpc';
import { TEST_CALLER_SECRET, type TestDatabase, applicantsOverGrpc, createTestDatabase, grpcTestEnv, startTestService, stopAll, testBusEnv, eventually } from '@pace/testing';
import { applicantsService } from '../src/service';

// Lead intake end to end on the Pub/Sub emulator: the gRPC endpoint the gateway calls for
// Bayut/website leads, Property Finder leads as syndication.lead-received.v1 events, round-robin
// rosters, claims and the claim-timeout sweep.
const CLAIM_TIMEOUT_MS = 4000;
let db: TestDatabase;
let service: RunningService;
let bus: Record<string, string>;
let grpc: ReturnType<typeof applicantsOverGrpc>;
let grpcPort: string;

const admin: Caller = { kind: 'user', id: randomUUID(), role: 'admin', teamIds: [] };
const bayut: Caller = { kind: 'service', id: randomUUID(), name: 'bayut-adapter', scopes: ['leads:write'] };
const teams = { roundRobin: randomUUID(), timeout: randomUUID(), portal: randomUUID() };
const agents = (team: string, n: number): Caller[] => Array.from({ length: n }, () => ({ kind: 'user', id: randomUUID(), role: 'agent', teamIds: [team] }) as Caller);
const rr = agents(teams.roundRobin, 4);
const [slow, quick] = agents(teams.timeout, 2);
const pf = agents(teams.portal, 2);
const manager = (team: string): Caller => ({ kind: 'user', id: randomUUID(), role: 'manager', teamIds: [team] });

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}


async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const lead = (over: Partial<IntakeLeadRequest>): IntakeLeadRequest => ({
  source: 'bayut',
  portalLeadId: randomUUID(),
  channel: 'whatsapp',
  listingReference: 'ALS-S-001001',
  listingId: '',
  senderName: 'Test Lead',
  phones: [],
  emails: [],
  message: 'Is it still available?',
  ...over,
});
const intake = (l: IntakeLeadRequest, as: Caller = bayut) => grpc.client.call('intakeLead', l, as);

beforeAll(async () => {
  db = await createTestDatabase();
  bus = testBusEnv();
  const env = await grpcTestEnv();
  service = await startTestService(applicantsService, {
    DATABASE_URL: db.url,
    ...bus,
    ...env,
    LEADS_CLAIM_TIMEOUT_MS: String(CLAIM_TIMEOUT_MS),
    LEADS_SWEEP_EVERY_MS: '250',
  });
  grpcPort = env.GRPC_PORT;
  grpc = applicantsOverGrpc(env.GRPC_PORT);
  const roster = async (team: string, members: Caller[], sources: string[]) =>
    grpc.client.call('setLeadRoster', { teamId: team, agentIds: members.map((m) => m.id), sources }, manager(team));
  await roster(teams.roundRobin, rr, ['bayut']);
  await roster(teams.timeout, [slow, quick], ['website']);
  await roster(teams.portal, pf, ['propertyfinder']);
});

afterAll(async () => {
  grpc.close();
  await stopAll(service);
  await db.drop();
});

describe('lead rosters', () => {
  it('are kept by the team manager or an admin, not by agents or other managers', async () => {
    const roster = await grpc.client.call('getLeadRoster', { teamId: teams.roundRobin }, admin);
    expect(roster.roster).toMatchObject({ teamId: teams.roundRobin, sources: ['bayut'] });
    expect(roster.roster.agents.map((a) => a.agentId)).toEqual(rr.map((a) => a.id));
    expect(await failure(grpc.client.call('setLeadRoster', { teamId: teams.roundRobin, agentIds: [], sources: [] }, rr[0]))).toMatchObject({ kind: 'forbidden' });
    expect(await failure(grpc.client.call('getLeadRoster', { teamId: teams.roundRobin }, manager(teams.portal)))).toMatchObject({ code: 'roster-forbidden' });
  });
});

describe('lead intake over gRPC (Bayut, website)', () => {
  it('takes the same portal lead twice, or the person again with a reformatted phone, as one applicant', async () => {
    const first = await intake(lead({ portalLeadId: 'BY-1001', senderName: 'Hamdan Al Falasi', phones: ['+971 50 600 1001'] }));
    expect(first).toMatchObject({ matched: false, replayed: false, applicant: { source: 'bayut', firstName: 'Hamdan', lastName: 'Al Falasi', phones: ['+971506001001'], status: 'new', teamId: teams.roundRobin } });
    const again = await intake(lead({ portalLeadId: 'BY-1001', senderName: 'Hamdan Al Falasi', phones: ['+971 50 600 1001'] }));
    expect(again).toMatchObject({ replayed: true, applicant: { id: first.applicant.id } });
    const reformatted = await intake(lead({ portalLeadId: 'BY-1002', senderName: 'Hamdan', phones: ['050-600-1001'] }));
    expect(reformatted).toMatchObject({ matched: true, replayed: false, applicant: { id: first.applicant.id } });
    expect(await sql('SELECT id FROM applicants.applicant WHERE $1 = ANY(phones)', ['+971506001001'])).toHaveLength(1);
    expect(await sql('SELECT portal_lead_id FROM applicants.lead WHERE applicant_id = $1', [first.applicant.id])).toHaveLength(2);

    // Every step is a timeline entry and an event.
    const entries = (await grpc.client.call('listTimeline', { id: first.applicant.id, limit: 50, cursor: '' }, admin)).items.map((e) => e.kind);
    expect(entries).toEqual(['assigned', 'lead_received', 'assigned', 'lead_received', 'created']);
    const events = (await sql<{ type: string }>('SELECT type FROM applicants.outbox WHERE aggregate_id = $1 ORDER BY id', [first.applicant.id])).map((e) => e.type);
    expect(events).toEqual([
      'applicants.applicant-created.v1',
      'applicants.lead-accepted.v1',
      'applicants.applicant-assigned.v1',
      'applicants.lead-accepted.v1',
      'applicants.applicant-assigned.v1',
    ]);
  });

  it('refuses a lead without any usable contact, naming the field, and callers without leads:write', async () => {
    const error = await failure(intake(lead({ phones: ['not a phone'], emails: ['nope'] })));
    expect(error).toMatchObject({ code: 'validation-failed', errors: [{ field: 'phones', message: 'the lead has no valid phone number or email' }] });
    const reader: Caller = { kind: 'service', id: randomUUID(), name: 'salesforce-adapter', scopes: ['applicants:read'] };
    expect(await failure(intake(lead({ phones: ['0506001099'] }), reader))).toMatchObject({ kind: 'forbidden' });
    expect(await failure(intake(lead({ phones: ['0506001099'] }), rr[0]))).toMatchObject({ kind: 'forbidden' });
  });

  it('spreads 20 leads arriving together round-robin over the team\'s agents', async () => {
    // A fresh team takes over Bayut leads, so every agent starts with no turns.
    const burstTeam = randomUUID();
    const burst = agents(burstTeam, 4);
    await grpc.client.call('setLeadRoster', { teamId: burstTeam, agentIds: burst.map((a) => a.id), sources: ['bayut'] }, admin);
    // A generous deadline: the 20 share one team roster, so they commit one after another (slow on a loaded machine).
    const patient = new GrpcServiceClient<ApplicantsRpc>({ contract: APPLICANTS_CONTRACT, service: 'applicants', url: `127.0.0.1:${grpcPort}`, secret: TEST_CALLER_SECRET, deadlineMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => patient.call('intakeLead', lead({ senderName: `Burst ${i}`, phones: [`05070${String(10000 + i)}`] }), bayut)));
    patient.close();
    expect(new Set(results.map((r) => r.applicant.id)).size).toBe(20);
    const counts = new Map<string, number>();
    for (const r of results) counts.set(r.applicant.ownerId, (counts.get(r.applicant.ownerId) ?? 0) + 1);
    expect(Object.fromEntries([...counts].sort())).toEqual(Object.fromEntries(burst.map((a) => [a.id, 5]).sort()));
    expect(results.every((r) => r.applicant.teamId === burstTeam)).toBe(true);
    // The team's own agent sees theirs; an agent of the old Bayut team sees none of them.
    const mine = results.filter((r) => r.applicant.ownerId === burst[0].id);
    expect((await grpc.get(mine[0].applicant.id, burst[0])).id).toBe(mine[0].applicant.id);
    expect(await failure(grpc.get(mine[0].applicant.id, rr[0]))).toMatchObject({ code: 'applicant-not-found' });
  });
});

describe('claiming', () => {
  it('moves an unclaimed lead to the next agent after the timeout; the first agent loses it', async () => {
    const taken = await intake(lead({ source: 'website', portalLeadId: 'WEB-1', senderName: 'Slow Claim', emails: ['slow@example.ae'] }));
    const first = taken.applicant.ownerId;
    const other = first === slow.id ? quick : slow;
    const firstAgent = first === slow.id ? slow : quick;
    expect(await grpc.get(taken.applicant.id, firstAgent)).toMatchObject({ ownerId: first });
    const moved = await eventually(() => grpc.get(taken.applicant.id, admin), (a) => a.ownerId === other.id, CLAIM_TIMEOUT_MS + 6000);
    expect(moved.ownerId).toBe(other.id);
    expect(await failure(grpc.get(taken.applicant.id, firstAgent))).toMatchObject({ code: 'applicant-not-found' });
    const entries = (await grpc.client.call('listTimeline', { id: taken.applicant.id, limit: 50, cursor: '' }, other)).items;
    expect(JSON.parse(entries[0].dataJson)).toMatchObject({ reason: 'reassigned_unclaimed', previousAgentId: first, agentId: other.id });
    // The new agent claims it in time: it stays.
    expect(await failure(grpc.client.call('claimLead', { applicantId: taken.applicant.id }, firstAgent))).toMatchObject({ code: 'applicant-not-found' });
    const claimed = await grpc.client.call('claimLead', { applicantId: taken.applicant.id }, other);
    expect(claimed.applicant.ownerId).toBe(other.id);
    await new Promise((resolve) => setTimeout(resolve, CLAIM_TIMEOUT_MS + 1000));
    expect((await grpc.get(taken.applicant.id, admin)).ownerId).toBe(other.id);
    expect(await failure(grpc.client.call('claimLead', { applicantId: taken.applicant.id }, other))).toMatchObject({ code: 'no-lead-to-claim' });
    const [row] = await sql<{ reassignments: number }>(`SELECT reassignments FROM applicants.lead WHERE source = 'website' AND portal_lead_id = 'WEB-1'`);
    expect(row.reassignments).toBe(1);
  }, 30_000);
});

describe('manual assignment', () => {
  it('counts as handling the lead: the sweep no longer moves it', async () => {
    const taken = await intake(lead({ source: 'website', portalLeadId: 'WEB-2', senderName: 'By Hand', emails: ['byhand@example.ae'] }));
    const target = taken.applicant.ownerId === slow.id ? quick : slow;
    expect(await failure(grpc.client.call('assignApplicant', { id: taken.applicant.id, version: taken.applicant.version, ownerId: target.id, teamId: '' }, target))).toMatchObject({ kind: 'forbidden' });
    const moved = await grpc.client.call('assignApplicant', { id: taken.applicant.id, version: taken.applicant.version, ownerId: target.id, teamId: '' }, manager(teams.timeout));
    expect(moved.applicant).toMatchObject({ ownerId: target.id, teamId: teams.timeout });
    await new Promise((resolve) => setTimeout(resolve, CLAIM_TIMEOUT_MS + 1000));
    expect((await grpc.get(taken.applicant.id, admin)).ownerId).toBe(target.id);
  }, 20_000);
});

describe('Property Finder leads from syndication.lead-received.v1', () => {
  const publish = async (portalLeadId: string, phones: string[]) => {
    const pubsub = new PubSub({ projectId: 'pace-test' });
    const payload = create(LeadReceivedSchema, {
      lead: { source: 'propertyfinder', portalLeadId, channel: 'call', listingReference: 'ALS-S-001002', listingId: 'pf-listing-123', senderName: 'Ravi Menon', phones, emails: [], message: '', receivedAt: timestampFromDate(new Date()) },
    });
    const data = encodeEnvelope(LeadReceivedSchema, payload, {
      eventId: uuidv7(),
      type: 'syndication.lead-received.v1',
      aggregateId: portalLeadId,
      aggregateVersion: 1,
      occurredAt: new Date(),
      producer: 'syndication',
      traceparent: '',
    });
    await pubsub.topic(`${bus.EVENTS_NAMESPACE}pace.syndication.v1`).publishMessage({ data: Buffer.from(data), attributes: { type: 'syndication.lead-received.v1' } });
    await pubsub.close();
  };

  it('creates the applicant once, assigned in the portal team, however often the lead is delivered (an unreadable listing id does not cost the lead)', async () => {
    await publish('PF-77', ['00971 55 777 0077']);
    await publish('PF-77', ['+971557770077']);
    const rows = await eventually(
      () => sql<{ id: string; owner_id: string; source: string }>('SELECT id, owner_id, source FROM applicants.applicant WHERE $1 = ANY(phones)', ['+971557770077']),
      (r) => r.length > 0 && r[0].owner_id !== null,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].source).toBe('propertyfinder');
    expect(pf.map((a) => a.id)).toContain(rows[0].owner_id);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await sql(`SELECT 1 FROM applicants.lead WHERE source = 'propertyfinder' AND portal_lead_id = 'PF-77'`)).toHaveLength(1);
    expect(await sql('SELECT id FROM applicants.applicant WHERE $1 = ANY(phones)', ['+971557770077'])).toHaveLength(1);
  });
});
