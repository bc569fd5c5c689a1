import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Caller } from '@pace/auth';
import { type RunningService } from '@pace/platform';
import type { ApplicantMessage, CreateApplicantRequest } from '@pace/rpc';
import { ValidationError } from '@pace/http';
import { type TestDatabase, applicantsOverGrpc, createTestDatabase, grpcTestEnv, startTestService, stopAll } from '@pace/testing';
import { applicantsService } from '../src/service';

// The CRM core over gRPC, as the gateway calls it: model, duplicates, pipeline, timeline, audit,
// search and merge, against a real database.
let db: TestDatabase;
let service: RunningService;
let grpc: ReturnType<typeof applicantsOverGrpc>;

const teamA = randomUUID();
const teamB = randomUUID();
const admin: Caller = { kind: 'user', id: randomUUID(), role: 'admin', teamIds: [] };
const agentA: Caller = { kind: 'user', id: randomUUID(), role: 'agent', teamIds: [teamA] };
const agentA2: Caller = { kind: 'user', id: randomUUID(), role: 'agent', teamIds: [teamA] };
const agentB: Caller = { kind: 'user', id: randomUUID(), role: 'agent', teamIds: [teamB] };
const managerA: Caller = { kind: 'user', id: randomUUID(), role: 'manager', teamIds: [teamA] };

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const base = (over: Partial<CreateApplicantRequest>): CreateApplicantRequest => ({ firstName: 'A', lastName: 'B', phones: [], emails: [], ownerId: '', teamId: '', ...over });
const create = (over: Partial<CreateApplicantRequest>, as: Caller = agentA) => grpc.client.call('createApplicant', base(over), as);
const status = (a: ApplicantMessage, to: string, as: Caller = agentA, reason = '') => grpc.client.call('changeStatus', { id: a.id, version: a.version, status: to, reason }, as);
const timeline = (id: string, as: Caller = agentA, limit = 50, cursor = '') => grpc.client.call('listTimeline', { id, limit, cursor }, as);
const search = (q: Record<string, unknown>, as: Caller = admin) => grpc.client.call('listApplicants', { limit: 200, cursor: '', ...q }, as);

beforeAll(async () => {
  db = await createTestDatabase();
  const env = await grpcTestEnv();
  service = await startTestService(applicantsService, { DATABASE_URL: db.url, EVENT_BUS: 'memory', ...env });
  grpc = applicantsOverGrpc(env.GRPC_PORT);
});

afterAll(async () => {
  grpc.close();
  await stopAll(service);
  await db.drop();
});

describe('the applicant model', () => {
  it('keeps source, consent, language, nationality, tags and requirements (money in fils)', async () => {
    const { applicant, matched } = await create({
      firstName: 'Layla',
      lastName: 'Haddad',
      phones: ['052 700 0001'],
      emails: ['Layla@Example.com'],
      source: 'referral',
      tags: ['VIP', 'investor', 'vip'],
      preferredLanguage: 'AR',
      nationality: 'jo',
      whatsappOptIn: true,
      requirements: { intent: 'buy', propertyTypes: ['apartment', 'penthouse'], bedroomsMin: 2, bedroomsMax: 3, budgetMinFils: '250000000', budgetMaxFils: '9000000000', communities: ['Dubai Marina'], furnishing: 'furnished', moveInDate: '2027-01-15' },
      note: 'Met at the Marina open house.',
    });
    expect(matched).toBe(false);
    expect(applicant).toMatchObject({
      status: 'new',
      source: 'referral',
      tags: ['vip', 'investor'],
      preferredLanguage: 'ar',
      nationality: 'JO',
      whatsappOptIn: true,
      emailOptIn: false,
      phones: ['+971527000001'],
      emails: ['layla@example.com'],
      requirements: { intent: 'buy', propertyTypes: ['apartment', 'penthouse'], bedroomsMin: 2, bedroomsMax: 3, budgetMinFils: '250000000', budgetMaxFils: '9000000000', furnishing: 'furnished', moveInDate: '2027-01-15' },
    });
    expect(await grpc.get(applicant.id, agentA)).toEqual(applicant);
    const kinds = (await timeline(applicant.id)).items.map((e) => e.kind);
    expect(kinds).toEqual(['note', 'created']);
  });

  it('names every invalid field: requirements, language, source, ranges', async () => {
    const error = (await failure(
      create({
        phones: ['0527000002'],
        source: 'fax',
        preferredLanguage: 'english',
        requirements: { intent: 'lease', propertyTypes: ['castle'], bedroomsMin: 4, bedroomsMax: 2, budgetMinFils: '-5', communities: [], furnishing: '', moveInDate: '15/01/2027' },
      }),
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors.map((e) => e.field).sort()).toEqual(
      ['preferredLanguage', 'requirements.budgetMinFils', 'requirements.intent', 'requirements.moveInDate', 'requirements.propertyTypes.0', 'source'].sort(),
    );
  });

  it('changes requirements and consent with optimistic concurrency, and audits before/after', async () => {
    const { applicant } = await create({ phones: ['0527000003'] });
    const changed = await grpc.client.call(
      'updateApplicant',
      { id: applicant.id, version: 1, emailOptIn: true, requirements: { intent: 'rent', propertyTypes: ['villa'], bedroomsMin: 4, communities: [], furnishing: '', moveInDate: '' } },
      agentA,
    );
    expect(changed.applicant).toMatchObject({ version: 2, emailOptIn: true, requirements: { intent: 'rent', bedroomsMin: 4, propertyTypes: ['villa'] } });
    expect(changed.applicant.requirements?.budgetMaxFils ?? null).toBeNull();
    const stale = await failure(grpc.client.call('updateApplicant', { id: applicant.id, version: 1, emailOptIn: false }, agentA));
    expect(stale).toMatchObject({ code: 'version-conflict' });
    const audit = await grpc.client.call('listAudit', { applicantId: applicant.id, limit: 10, cursor: '' }, admin);
    expect(audit.items.map((a) => a.action)).toEqual(['update', 'create']);
    expect(JSON.parse(audit.items[0].beforeJson)).toMatchObject({ emailOptIn: false, version: 1 });
    expect(JSON.parse(audit.items[0].afterJson)).toMatchObject({ emailOptIn: true, version: 2 });
    expect(audit.items[0]).toMatchObject({ actorId: agentA.id, actorRole: 'agent' });
    expect(await failure(grpc.client.call('listAudit', { applicantId: applicant.id, limit: 10, cursor: '' }, managerA))).toMatchObject({ kind: 'forbidden' });
  });
});

describe('duplicates', () => {
  it('returns the existing applicant (matched) for the same phone however written, or the same email', async () => {
    const first = await create({ firstName: 'Omar', lastName: 'Farouk', phones: ['+971 50 555 0101'], emails: ['omar@example.ae'] });
    const again = await create({ firstName: 'O.', lastName: 'Farouk', phones: ['0505550101'] });
    expect(again.matched).toBe(true);
    expect(again.applicant.id).toBe(first.applicant.id);
    const byEmail = await create({ firstName: 'Omar', lastName: 'F', emails: ['OMAR@example.ae'] });
    expect(byEmail).toMatchObject({ matched: true, applicant: { id: first.applicant.id } });
    expect(await sql('SELECT id FROM applicants.applicant WHERE $1 = ANY(phones)', ['+971505550101'])).toHaveLength(1);
  });

  it('answers an agent who cannot see the existing record with a conflict naming it, not a twin', async () => {
    const theirs = await create({ phones: ['0505550202'] }, agentB);
    const error = await failure(create({ phones: ['050 555 0202'] }, agentA));
    expect(error).toMatchObject({ code: 'applicant-exists', details: { duplicateOf: theirs.applicant.id } });
  });

  it('makes one applicant when the same person is created ten times at once', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => create({ firstName: `Twin${i}`, phones: [i % 2 ? '0505550303' : '+971505550303'] })));
    expect(new Set(results.map((r) => r.applicant.id)).size).toBe(1);
    expect(results.filter((r) => !r.matched)).toHaveLength(1);
  });
});

describe('status pipeline and timeline', () => {
  it('moves forward, records each step, requires a reason for lost, refuses leaving won', async () => {
    let { applicant } = await create({ phones: ['0527000010'] });
    for (const to of ['contacted', 'qualified', 'viewing']) applicant = (await status(applicant, to)).applicant;
    expect(applicant).toMatchObject({ status: 'viewing', version: 4 });
    expect(((await failure(status(applicant, 'lost'))) as ValidationError).errors).toEqual([{ field: 'reason', message: 'say why the applicant was lost' }]);
    expect(await failure(status(applicant, 'new'))).toMatchObject({ code: 'status-transition-not-allowed' });
    applicant = (await status(applicant, 'lost', agentA, 'bought through another agency')).applicant;
    expect(applicant).toMatchObject({ status: 'lost', lostReason: 'bought through another agency' });
    applicant = (await status(applicant, 'contacted')).applicant;
    applicant = (await status(applicant, 'won')).applicant;
    expect(await failure(status(applicant, 'offer'))).toMatchObject({ code: 'status-transition-not-allowed' });
    const entries = (await timeline(applicant.id)).items;
    expect(entries.filter((e) => e.kind === 'status_changed').map((e) => JSON.parse(e.dataJson).to)).toEqual(['won', 'contacted', 'lost', 'viewing', 'qualified', 'contacted']);
  });

  it('pages the timeline newest first by cursor without gaps or repeats; notes are entries', async () => {
    const { applicant } = await create({ phones: ['0527000011'] });
    for (let i = 0; i < 7; i++) await grpc.client.call('addNote', { id: applicant.id, text: `note ${i}` }, agentA);
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await timeline(applicant.id, agentA, 3, cursor);
      seen.push(...page.items.map((e) => e.summary));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['note 6', 'note 5', 'note 4', 'note 3', 'note 2', 'note 1', 'note 0', 'Applicant created (walk_in)']);
    expect(await failure(timeline(applicant.id, agentB))).toMatchObject({ code: 'applicant-not-found' });
  });
});

describe('search', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const make = async (key: string, over: Partial<CreateApplicantRequest>, as: Caller) => (ids[key] = (await create(over, as)).applicant.id);
    await make('arabic', { firstName: 'محمد', lastName: 'الهاشمي', phones: ['0558000001'], tags: ['search-test'], requirements: { intent: 'buy', propertyTypes: ['villa'], bedroomsMin: 4, bedroomsMax: 6, budgetMinFils: '800000000', budgetMaxFils: '1500000000', communities: ['Palm Jumeirah'], furnishing: '', moveInDate: '' } }, agentA);
    await make('english', { firstName: 'Sarah', lastName: 'Connors', phones: ['0558000002'], tags: ['search-test', 'investors'], source: 'bayut', requirements: { intent: 'rent', propertyTypes: ['apartment'], bedroomsMin: 1, bedroomsMax: 2, budgetMaxFils: '12000000', communities: ['Downtown Dubai'], furnishing: '', moveInDate: '' } }, agentA2);
    await make('teamB', { firstName: 'Sarah', lastName: 'Bakr', phones: ['0558000003'], tags: ['search-test'] }, agentB);
  });

  it('finds Arabic names as written, English words stemmed, and phones however typed', async () => {
    expect((await search({ q: 'محمد' })).items.map((a) => a.id)).toEqual([ids.arabic]);
    expect((await search({ q: 'investor', tags: ['search-test'] })).items.map((a) => a.id)).toEqual([ids.english]);
    expect((await search({ q: '055 800 0002' })).items.map((a) => a.id)).toEqual([ids.english]);
    expect((await search({ q: 'palm jumeirah' })).items.map((a) => a.id)).toEqual([ids.arabic]);
  });

  it('filters by status, source, agent, team, tags, budget and bedrooms, within visibility', async () => {
    const only = async (q: Record<string, unknown>, as: Caller = admin) => (await search({ tags: ['search-test'], ...q }, as)).items.map((a) => a.id).sort();
    expect(await only({ sources: ['bayut'] })).toEqual([ids.english]);
    expect(await only({ ownerId: agentB.id })).toEqual([ids.teamB]);
    expect(await only({ teamId: teamA })).toEqual([ids.arabic, ids.english].sort());
    expect(await only({ budgetFils: '1000000000' })).toEqual([ids.arabic]);
    expect(await only({ budgetFils: '10000000' })).toEqual([ids.english]);
    expect(await only({ bedrooms: 2 })).toEqual([ids.english]);
    expect(await only({ statuses: ['won'] })).toEqual([]);
    expect(await only({ q: 'sarah' }, agentA)).toEqual([]);
    expect(await only({ q: 'sarah' }, managerA)).toEqual([ids.english]);
    expect(await only({ q: 'sarah' }, agentB)).toEqual([ids.teamB]);
  });

  it('orders by relevance (names before tags) and pages that order with its cursor', async () => {
    const first = await grpc.client.call('listApplicants', { limit: 1, cursor: '', q: 'sarah investors', sort: 'relevance' }, admin);
    expect(first.items.map((a) => a.id)).toEqual([ids.english]);
    const rest = await grpc.client.call('listApplicants', { limit: 10, cursor: '', q: 'sarah', sort: 'relevance', tags: ['search-test'] }, admin);
    expect(rest.items.map((a) => a.id).sort()).toEqual([ids.english, ids.teamB].sort());
    const paged: string[] = [];
    let cursor = '';
    do {
      const page = await grpc.client.call('listApplicants', { limit: 1, cursor, q: 'sarah', sort: 'relevance', tags: ['search-test'] }, admin);
      paged.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(rest.items.map((a) => a.id));
  });

  it('sorts by name and pages with a cursor; a cursor of another sort is refused', async () => {
    const names: string[] = [];
    let cursor = '';
    do {
      const page = await grpc.client.call('listApplicants', { limit: 1, cursor, tags: ['search-test'], sort: 'name' }, admin);
      names.push(...page.items.map((a) => a.lastName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(['Bakr', 'Connors', 'الهاشمي']);
    const first = await grpc.client.call('listApplicants', { limit: 1, cursor: '', tags: ['search-test'], sort: 'name' }, admin);
    expect(await failure(grpc.client.call('listApplicants', { limit: 1, cursor: first.nextCursor, sort: 'newest' }, admin))).toMatchObject({ code: 'invalid-cursor' });
    expect(((await failure(search({ sort: 'relevance' }))) as ValidationError).errors[0].field).toBe('sort');
  });
});

describe('merge', () => {
  it('keeps both timelines on the survivor, leaves a tombstone, audits and emits applicant-merged', async () => {
    const survivor = (await create({ firstName: 'Noor', lastName: 'Saleh', phones: ['0529000001'], tags: ['a'] }, agentA)).applicant;
    const other = (await create({ firstName: 'Nour', lastName: 'Saleh', emails: ['noor@example.ae'], tags: ['b'], preferredLanguage: 'ar' }, agentA2)).applicant;
    await grpc.client.call('addNote', { id: survivor.id, text: 'survivor note' }, agentA);
    await grpc.client.call('addNote', { id: other.id, text: 'other note' }, agentA2);
    expect(await failure(grpc.client.call('mergeApplicants', { survivorId: survivor.id, mergedId: other.id, survivorVersion: 1 }, agentA))).toMatchObject({ kind: 'forbidden' });
    const merged = await grpc.client.call('mergeApplicants', { survivorId: survivor.id, mergedId: other.id, survivorVersion: 1 }, managerA);
    expect(merged.applicant).toMatchObject({ id: survivor.id, phones: ['+971529000001'], emails: ['noor@example.ae'], tags: ['a', 'b'], preferredLanguage: 'ar', version: 2 });

    const stream = (await timeline(survivor.id, managerA)).items;
    expect(stream.map((e) => e.kind)).toEqual(['merged', 'note', 'note', 'created', 'created']);
    expect(stream.map((e) => e.id)).toEqual([...stream.map((e) => e.id)].sort().reverse());

    const tomb = await grpc.get(other.id, admin);
    expect(tomb).toMatchObject({ mergedInto: survivor.id, phones: [], emails: [] });
    expect((await timeline(other.id, admin)).items.map((e) => e.id)).toEqual(stream.map((e) => e.id));
    expect((await search({ q: 'saleh' })).items.map((a) => a.id)).toEqual([survivor.id]);
    // A new create with the tombstone's old email matches the survivor.
    expect((await create({ emails: ['noor@example.ae'] }, agentA)).applicant.id).toBe(survivor.id);

    const audit = await grpc.client.call('listAudit', { applicantId: other.id, limit: 10, cursor: '' }, admin);
    expect(audit.items[0]).toMatchObject({ action: 'merged', actorId: managerA.id });
    const events = await sql<{ type: string }>(`SELECT type FROM applicants.outbox WHERE aggregate_id = $1 ORDER BY id`, [survivor.id]);
    expect(events.map((e) => e.type)).toContain('applicants.applicant-merged.v1');
    expect(await failure(grpc.client.call('mergeApplicants', { survivorId: survivor.id, mergedId: other.id, survivorVersion: 2 }, managerA))).toMatchObject({ code: 'applicant-merged-already' });
  });
});
