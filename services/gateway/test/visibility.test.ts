import type { TestSession } from '@pace/testing';
import { ROLE_OWNER_MATRIX, type Stack, startStack, twoTeams } from './stack';

/**
 * Record visibility, role × record owner, over every applicants endpoint. Visibility is applied by
 * the applicants service in its queries, from the caller context the gateway signs.
 */
let stack: Stack;
const sessions: Record<string, TestSession> = {};
const ids: Record<string, string> = {};
const records: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const people = await twoTeams(stack);
  Object.assign(sessions, people.sessions);
  Object.assign(ids, people.ids);
  let n = 0;
  for (const [record, owner] of [
    ['ofAgentA1', 'agentA1'],
    ['ofAgentA2', 'agentA2'],
    ['ofManagerA', 'managerA'],
    ['ofAgentB', 'agentB'],
    ['ofAdmin', 'admin'],
  ]) {
    // Distinct phones: the same phone would match the first record instead of making a new one.
    const res = await stack.http.post('/api/v1/applicants', { firstName: record, lastName: 'Matrix', phones: [`05012340${n++}0`], tags: ['matrix'] }, sessions[owner].headers);
    if (res.status !== 201) throw new Error(`${record}: ${res.status} ${JSON.stringify(res.body)}`);
    records[record] = res.body.id;
  }
});

afterAll(() => stack.close());

const matrix = ROLE_OWNER_MATRIX;

describe.each(matrix)('%s on a record of %s (%s)', (caller, _relation, record, visible) => {
  it(`GET /api/v1/applicants/{id} → ${visible ? 200 : 404}`, async () => {
    const res = await stack.http.get(`/api/v1/applicants/${records[record]}`, sessions[caller].headers);
    expect(res.status).toBe(visible ? 200 : 404);
    if (!visible) expect(res.body.code).toBe('applicant-not-found');
  });

  it(`GET /api/v1/applicants ${visible ? 'includes' : 'omits'} it`, async () => {
    const res = await stack.http.get('/api/v1/applicants?limit=200', sessions[caller].headers);
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { id: string }) => a.id).includes(records[record])).toBe(visible);
  });

  it(`GET /api/v1/applicants?q=…&tag=… (search) ${visible ? 'includes' : 'omits'} it`, async () => {
    const res = await stack.http.get(`/api/v1/applicants?q=${record}&tag=matrix&status=new,contacted,qualified,viewing&sort=name`, sessions[caller].headers);
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { id: string }) => a.id)).toEqual(visible ? [records[record]] : []);
  });

  it(`GET /api/v1/applicants/{id}/timeline → ${visible ? 200 : 404}`, async () => {
    const res = await stack.http.get(`/api/v1/applicants/${records[record]}/timeline`, sessions[caller].headers);
    expect(res.status).toBe(visible ? 200 : 404);
    if (visible) expect(res.body.items.at(-1)).toMatchObject({ kind: 'created', applicantId: records[record] });
  });

  it(`POST /api/v1/applicants/{id}/notes → ${visible ? 201 : 404}`, async () => {
    const res = await stack.http.post(`/api/v1/applicants/${records[record]}/notes`, { text: `Note by ${caller}` }, sessions[caller].headers);
    expect(res.status).toBe(visible ? 201 : 404);
  });

  it(`POST /api/v1/applicants/{id}/status → ${visible ? 200 : 404}`, async () => {
    const current = await stack.http.get(`/api/v1/applicants/${records[record]}`, sessions.admin.headers);
    const next = ({ new: 'contacted', contacted: 'qualified', qualified: 'viewing' } as Record<string, string>)[current.body.status];
    const res = await stack.http.post(`/api/v1/applicants/${records[record]}/status`, { version: current.body.version, status: next }, sessions[caller].headers);
    expect(res.status).toBe(visible ? 200 : 404);
    if (visible) expect(res.body.status).toBe(next);
    else expect((await stack.http.get(`/api/v1/applicants/${records[record]}`, sessions.admin.headers)).body.version).toBe(current.body.version);
  });

  it(`POST /api/v1/applicants/{id}/claim → ${visible ? 409 : 404} (no lead assigned)`, async () => {
    const res = await stack.http.post(`/api/v1/applicants/${records[record]}/claim`, {}, sessions[caller].headers);
    expect(res.status).toBe(visible ? 409 : 404);
  });

  it(`PATCH /api/v1/applicants/{id} → ${visible ? 200 : 404}`, async () => {
    const current = await stack.http.get(`/api/v1/applicants/${records[record]}`, sessions.admin.headers);
    const res = await stack.http.patch(`/api/v1/applicants/${records[record]}`, { version: current.body.version, lastName: `Edited by ${caller}` }, sessions[caller].headers);
    expect(res.status).toBe(visible ? 200 : 404);
  });
});

describe('lists hold exactly what each role may see', () => {
  it.each([
    ['agentA1', ['ofAgentA1']],
    ['agentB', ['ofAgentB']],
    ['managerA', ['ofAgentA1', 'ofAgentA2', 'ofManagerA', 'ofAdmin']],
    ['admin', ['ofAgentA1', 'ofAgentA2', 'ofManagerA', 'ofAgentB', 'ofAdmin']],
  ])('%s', async (caller, expected) => {
    const res = await stack.http.get('/api/v1/applicants?limit=200', sessions[caller].headers);
    const mine = new Set(expected.map((r) => records[r]));
    expect(res.body.items.map((a: { id: string }) => a.id).filter((id: string) => Object.values(records).includes(id)).sort()).toEqual([...mine].sort());
  });
});

describe('POST /api/v1/applicants assigns ownership by role', () => {
  let phone = 0;
  // A new phone each time: a repeated one would match the earlier applicant (200) instead.
  const fresh = () => ({ firstName: 'New', lastName: 'Lead', phones: [`0507654${String(phone++).padStart(3, '0')}`] });

  it('an agent creates in their own team, for themselves only', async () => {
    const ok = await stack.http.post('/api/v1/applicants', fresh(), sessions.agentA1.headers);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ ownerId: ids.agentA1, teamId: ids.teamA });
    const otherTeam = await stack.http.post('/api/v1/applicants', { ...fresh(), teamId: ids.teamB }, sessions.agentA1.headers);
    expect(otherTeam.status).toBe(403);
    expect(otherTeam.body.code).toBe('team-not-yours');
    const forSomeoneElse = await stack.http.post('/api/v1/applicants', { ...fresh(), ownerId: ids.agentA2 }, sessions.agentA1.headers);
    expect(forSomeoneElse.status).toBe(403);
    expect(forSomeoneElse.body.code).toBe('owner-not-you');
  });

  it('a manager assigns within the teams they lead, and the assignee then sees it', async () => {
    const assigned = await stack.http.post('/api/v1/applicants', { ...fresh(), ownerId: ids.agentA2, teamId: ids.teamA }, sessions.managerA.headers);
    expect(assigned.status).toBe(201);
    expect(assigned.body.ownerId).toBe(ids.agentA2);
    expect((await stack.http.get(`/api/v1/applicants/${assigned.body.id}`, sessions.agentA2.headers)).status).toBe(200);
    expect((await stack.http.get(`/api/v1/applicants/${assigned.body.id}`, sessions.agentA1.headers)).status).toBe(404);
    const notTheirTeam = await stack.http.post('/api/v1/applicants', { ...fresh(), ownerId: ids.agentB, teamId: ids.teamB }, sessions.managerA.headers);
    expect(notTheirTeam.status).toBe(403);
    const notAMember = await stack.http.post('/api/v1/applicants', { ...fresh(), ownerId: ids.agentB, teamId: ids.teamA }, sessions.managerA.headers);
    expect(notAMember.status).toBe(400);
    expect(notAMember.body.code).toBe('owner-not-in-team');
  });

  it('validation problems from the applicants service come back per field', async () => {
    const res = await stack.http.post('/api/v1/applicants', { firstName: 'Bad', lastName: 'Phone', phones: ['12345678901234567'] }, sessions.agentA1.headers);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'validation-failed', errors: [{ field: 'phones.0' }] });
  });
});
