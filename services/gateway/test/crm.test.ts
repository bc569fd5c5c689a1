import type { TestSession } from '@pace/testing';
import { ADMIN_EMAIL, DOMAIN, type Stack, createTeam, person, startStack } from './stack';

/**
 * The CRM core through the gateway's REST API: duplicates (200 + matched), lead intake by a
 * machine token with leads:write (idempotent, round-robin over the roster), claims, merge,
 * audit (admins only) and problem+json errors per field.
 */
let stack: Stack;
let admin: TestSession;
const people: Record<string, { id: string; session: TestSession }> = {};
let teamA: string;
let teamB: string;
let leadToken: string;

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.session(ADMIN_EMAIL);
  teamA = await createTeam(stack, admin, 'Sales A');
  teamB = await createTeam(stack, admin, 'Sales B');
  for (const [key, role, team] of [
    ['a1', 'agent', teamA],
    ['a2', 'agent', teamA],
    ['a3', 'agent', teamA],
    ['manager', 'manager', teamA],
    ['b1', 'agent', teamB],
  ] as const) {
    people[key] = await person(stack, admin, `crm-${key}@${DOMAIN}`, role, [team]);
  }
  const principal = await stack.http.post('/api/v1/admin/service-principals', { name: 'bayut-adapter', description: 'Bayut lead forwarding' }, admin.headers);
  const token = await stack.http.post(`/api/v1/admin/service-principals/${principal.body.id}/tokens`, { scopes: ['leads:write'] }, admin.headers);
  if (token.status !== 201) throw new Error(JSON.stringify(token.body));
  leadToken = token.body.token;
});

afterAll(() => stack.close());

describe('duplicates through the API', () => {
  it('answers 200 with the existing applicant (matched) instead of a twin, 409 when it is not yours to see', async () => {
    const first = await stack.http.post('/api/v1/applicants', { firstName: 'Aisha', lastName: 'Khan', phones: ['050 321 0001'], requirements: { intent: 'buy', budgetMaxFils: 300_000_000 } }, people.a1.session.headers);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ matched: false, status: 'new', source: 'walk_in', requirements: { intent: 'buy', budgetMaxFils: 300_000_000, bedroomsMin: null } });
    const again = await stack.http.post('/api/v1/applicants', { firstName: 'Aisha', lastName: 'K', phones: ['+971503210001'] }, people.a1.session.headers);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, matched: true });
    const foreign = await stack.http.post('/api/v1/applicants', { firstName: 'Aisha', lastName: 'K', phones: ['0503210001'] }, people.b1.session.headers);
    expect(foreign.status).toBe(409);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect(foreign.body).toMatchObject({ code: 'applicant-exists', duplicateOf: first.body.id });
  });

  it('names each invalid field in problem+json', async () => {
    const res = await stack.http.post(
      '/api/v1/applicants',
      { firstName: 'X', lastName: 'Y', phones: ['0503210002'], source: 'fax', requirements: { bedroomsMin: -1, moveInDate: 'soon' } },
      people.a1.session.headers,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['requirements.bedroomsMin', 'requirements.moveInDate', 'source']);
  });
});

describe('lead intake through POST /api/v1/leads', () => {
  beforeAll(async () => {
    const roster = await stack.http.put(`/api/v1/lead-rosters/${teamA}`, { agentIds: [people.a1.id, people.a2.id, people.a3.id], sources: ['bayut', 'website'] }, people.manager.session.headers);
    if (roster.status !== 200) throw new Error(JSON.stringify(roster.body));
  });

  it('refuses a roster naming someone outside the team, and agents setting one', async () => {
    expect((await stack.http.put(`/api/v1/lead-rosters/${teamA}`, { agentIds: [people.b1.id] }, people.manager.session.headers)).body.code).toBe('owner-not-in-team');
    expect((await stack.http.put(`/api/v1/lead-rosters/${teamA}`, { agentIds: [] }, people.a1.session.headers)).status).toBe(403);
    expect((await stack.http.put(`/api/v1/lead-rosters/${teamB}`, { agentIds: [people.b1.id] }, people.manager.session.headers)).status).toBe(403);
    const roster = await stack.http.get(`/api/v1/lead-rosters/${teamA}`, people.manager.session.headers);
    expect(roster.body).toMatchObject({ teamId: teamA, sources: ['bayut', 'website'] });
  });

  it('is idempotent per source + portal lead id, matches reformatted phones, and only for leads:write', async () => {
    const lead = { source: 'bayut', portalLeadId: 'BAYUT-9001', senderName: 'Priya Nair', phones: ['+971 55 901 9001'], listingReference: 'ALS-R-000101', message: 'Viewing this week?' };
    const first = await stack.http.post('/api/v1/leads', lead, bearer(leadToken));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ matched: false, replayed: false, applicant: { firstName: 'Priya', lastName: 'Nair', source: 'bayut', teamId: teamA } });
    const replay = await stack.http.post('/api/v1/leads', lead, bearer(leadToken));
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ replayed: true, applicant: { id: first.body.applicant.id } });
    const website = await stack.http.post('/api/v1/leads', { ...lead, source: 'website', portalLeadId: 'WEB-1', phones: ['0559019001'] }, bearer(leadToken));
    expect(website.status).toBe(200);
    expect(website.body).toMatchObject({ matched: true, applicant: { id: first.body.applicant.id } });
    expect((await stack.http.post('/api/v1/leads', lead, people.a1.session.headers)).status).toBe(403);
    const invalid = await stack.http.post('/api/v1/leads', { source: 'craigslist', portalLeadId: '', phones: [] }, bearer(leadToken));
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['portalLeadId', 'source']);
  });

  it('spreads leads round-robin; the assigned agent sees and claims theirs, the others do not see it', async () => {
    const owners: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await stack.http.post('/api/v1/leads', { source: 'website', portalLeadId: `RR-${i}`, senderName: `Round ${i}`, emails: [`round${i}@example.ae`] }, bearer(leadToken));
      expect(res.status).toBe(201);
      owners.push(res.body.applicant.ownerId);
      ids.push(res.body.applicant.id);
    }
    const count = (id: string) => owners.filter((o) => o === id).length;
    expect([count(people.a1.id), count(people.a2.id), count(people.a3.id)]).toEqual([2, 2, 2]);
    const ownerKey = Object.keys(people).find((k) => people[k].id === owners[0])!;
    const otherKey = ['a1', 'a2', 'a3'].find((k) => k !== ownerKey)!;
    expect((await stack.http.get(`/api/v1/applicants/${ids[0]}`, people[otherKey].session.headers)).status).toBe(404);
    expect((await stack.http.post(`/api/v1/applicants/${ids[0]}/claim`, {}, people[otherKey].session.headers)).status).toBe(404);
    expect((await stack.http.get(`/api/v1/applicants/${ids[0]}`, people.manager.session.headers)).status).toBe(200);
    const claimed = await stack.http.post(`/api/v1/applicants/${ids[0]}/claim`, {}, people[ownerKey].session.headers);
    expect(claimed.status).toBe(200);
    const timeline = await stack.http.get(`/api/v1/applicants/${ids[0]}/timeline`, people[ownerKey].session.headers);
    expect(timeline.body.items.map((e: { kind: string }) => e.kind)).toEqual(['lead_claimed', 'assigned', 'lead_received', 'created']);
    expect((await stack.http.get(`/api/v1/applicants?source=website&limit=200`, people.b1.session.headers)).body.items).toEqual([]);
  });
});

describe('POST /api/v1/applicants/{id}/assign', () => {
  it('lets the team manager give an applicant to an agent of the team, who then sees it; checks membership', async () => {
    const made = await stack.http.post('/api/v1/applicants', { firstName: 'Hand', lastName: 'Over', phones: ['0504550001'] }, people.a1.session.headers);
    expect((await stack.http.post(`/api/v1/applicants/${made.body.id}/assign`, { version: 1, ownerId: people.a2.id }, people.a1.session.headers)).status).toBe(403);
    expect((await stack.http.post(`/api/v1/applicants/${made.body.id}/assign`, { version: 1, ownerId: people.b1.id }, people.manager.session.headers)).body.code).toBe('owner-not-in-team');
    const moved = await stack.http.post(`/api/v1/applicants/${made.body.id}/assign`, { version: 1, ownerId: people.a2.id }, people.manager.session.headers);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ ownerId: people.a2.id, teamId: teamA, version: 2 });
    expect((await stack.http.get(`/api/v1/applicants/${made.body.id}`, people.a2.session.headers)).status).toBe(200);
    expect((await stack.http.get(`/api/v1/applicants/${made.body.id}`, people.a1.session.headers)).status).toBe(404);
    expect((await stack.http.post(`/api/v1/applicants/${made.body.id}/assign`, { version: 1, ownerId: people.a3.id }, people.manager.session.headers)).status).toBe(409);
    const timeline = await stack.http.get(`/api/v1/applicants/${made.body.id}/timeline`, people.a2.session.headers);
    expect(timeline.body.items[0]).toMatchObject({ kind: 'assigned', actorId: people.manager.id, data: { reason: 'manual', previousAgentId: people.a1.id } });
  });
});

describe('merge and audit through the API', () => {
  it('a manager merges two of the team\'s applicants; admins read the audit, nobody else', async () => {
    const a = await stack.http.post('/api/v1/applicants', { firstName: 'Yusuf', lastName: 'Ali', phones: ['0504440001'] }, people.a1.session.headers);
    const b = await stack.http.post('/api/v1/applicants', { firstName: 'Yousef', lastName: 'Ali', emails: ['yusuf@example.ae'] }, people.a2.session.headers);
    expect((await stack.http.post('/api/v1/applicants/merge', { survivorId: a.body.id, mergedId: b.body.id, survivorVersion: 1 }, people.a1.session.headers)).status).toBe(403);
    const merged = await stack.http.post('/api/v1/applicants/merge', { survivorId: a.body.id, mergedId: b.body.id, survivorVersion: 1 }, people.manager.session.headers);
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: a.body.id, emails: ['yusuf@example.ae'], phones: ['+971504440001'] });
    expect((await stack.http.get(`/api/v1/applicants/${b.body.id}`, admin.headers)).body.mergedInto).toBe(a.body.id);
    const stale = await stack.http.post('/api/v1/applicants/merge', { survivorId: a.body.id, mergedId: b.body.id, survivorVersion: 1 }, people.manager.session.headers);
    expect(stale.status).toBe(409);

    const audit = await stack.http.get(`/api/v1/applicants/audit?applicantId=${a.body.id}`, admin.headers);
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['merge', 'create']);
    expect(audit.body.items[0]).toMatchObject({ actorId: people.manager.id, actorRole: 'manager', before: { emails: [] }, after: { emails: ['yusuf@example.ae'] } });
    expect((await stack.http.get('/api/v1/applicants/audit', people.manager.session.headers)).status).toBe(403);
    expect((await stack.http.get('/api/v1/applicants/audit', bearer(leadToken))).status).toBe(403);
  });
});
