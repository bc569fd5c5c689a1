import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { type TestSession, eventually } from '@pace/testing';
import { CredentialCache } from '../src/auth/credential-cache';
import { ADMIN_EMAIL, CLIENT_ID, DOMAIN, type Stack, startStack } from './stack';

let stack: Stack;
let admin: TestSession;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.session(ADMIN_EMAIL);
});

afterAll(() => stack.close());

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: stack.db.url });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The stored form of a session cookie: SHA-256 of its token. */
const hashOf = (session: TestSession) => createHash('sha256').update(/__Host-pace_session=([^;]+)/.exec(session.cookie)![1]).digest('hex');

const sessionCount = async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM gateway.session'))[0].n);

describe('Google sign-in', () => {
  it('signs in an allowed-domain, verified account with PKCE and a server-side session in strict cookies', async () => {
    const login = await fetch(`${stack.gateway.url}/api/v1/auth/login?login_hint=${ADMIN_EMAIL}`, { redirect: 'manual' });
    const authorize = new URL(login.headers.get('location')!);
    expect(authorize.origin + authorize.pathname).toBe(`${stack.google.issuer}/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('hd')).toBe(DOMAIN);
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);

    const result = await stack.signIn(ADMIN_EMAIL);
    expect(result.status).toBe(303);
    expect(result.location).toBe('/api/v1/me');
    const me = await stack.http.get('/api/v1/me', { cookie: result.session!.cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'user', user: { email: ADMIN_EMAIL, role: 'admin', status: 'active' }, csrfToken: result.session!.csrfToken });
  });

  it('sets the session cookie HttpOnly, Secure, SameSite=Lax and the CSRF cookie readable', async () => {
    const login = await fetch(`${stack.gateway.url}/api/v1/auth/login?login_hint=${ADMIN_EMAIL}`, { redirect: 'manual' });
    const state = login.headers.getSetCookie().find((c) => c.startsWith('__Host-pace_login='))!;
    expect(state).toMatch(/HttpOnly/i);
    const back = (await fetch(login.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!;
    const callback = await fetch(back, { redirect: 'manual', headers: { cookie: state.split(';')[0] } });
    const cookies = callback.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('__Host-pace_session='))!;
    const csrf = cookies.find((c) => c.startsWith('__Host-pace_csrf='))!;
    for (const flag of [/;\s*HttpOnly/i, /;\s*Secure/i, /;\s*SameSite=Lax/i, /;\s*Path=\//i]) expect(session).toMatch(flag);
    expect(csrf).toMatch(/;\s*Secure/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    // Only a hash of the cookie's token is stored.
    const token = decodeURIComponent(session.split(';')[0].split('=')[1]);
    expect(await sql('SELECT 1 FROM gateway.session WHERE token_hash = $1', [token])).toHaveLength(0);
  });

  it.each([
    ['another Workspace domain', { email: 'someone@other.example' }, 403, 'domain-not-allowed'],
    ['a consumer Google account (no hd)', { email: 'someone@gmail.com' }, 403, 'domain-not-allowed'],
    ['an allowed email whose token lacks hd', { email: `nohd@${DOMAIN}`, hd: null }, 403, 'domain-not-allowed'],
    ['an unverified email', { email: `unverified@${DOMAIN}`, emailVerified: false }, 403, 'email-not-verified'],
    ['a token for another client (wrong audience)', { email: `aud@${DOMAIN}`, aud: 'someone-elses-client' }, 401, 'id-token-wrong-audience'],
    ['an expired token', { email: `expired@${DOMAIN}`, expiresIn: -600 }, 401, 'id-token-expired'],
  ])('refuses %s with a clear reason and no session', async (_what, account, status, code) => {
    stack.google.account(account);
    const before = await sessionCount();
    const result = await stack.signIn(account.email);
    expect(result.status).toBe(status);
    expect(result.session).toBeUndefined();
    expect(result.problem).toMatchObject({ status, code });
    expect(result.problem.detail).toEqual(expect.any(String));
    expect(await sessionCount()).toBe(before);
  });

  it('refuses a callback that this browser did not start (no login cookie)', async () => {
    const login = await fetch(`${stack.gateway.url}/api/v1/auth/login?login_hint=${ADMIN_EMAIL}`, { redirect: 'manual' });
    const back = (await fetch(login.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!;
    const callback = await stack.http.get(back.replace(stack.gateway.url, ''));
    expect(callback.status).toBe(401);
    expect(callback.body.code).toBe('sign-in-state-mismatch');
  });

  it('keeps an uninvited first sign-in pending until an admin approves it', async () => {
    const email = `newcomer@${DOMAIN}`;
    const first = await stack.signIn(email);
    expect(first.status).toBe(403);
    expect(first.problem.code).toBe('account-pending-approval');
    expect(first.session).toBeUndefined();

    const pending = await stack.http.get('/api/v1/admin/users?status=pending', admin.headers);
    const user = pending.body.items.find((u: { email: string }) => u.email === email);
    expect(user).toMatchObject({ status: 'pending', role: null });

    const team = await stack.http.post('/api/v1/admin/teams', { name: 'Marina' }, admin.headers);
    const approved = await stack.http.post(`/api/v1/admin/users/${user.id}/approve`, { role: 'agent', teamIds: [team.body.id] }, admin.headers);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'active', role: 'agent', teamIds: [team.body.id] });

    const second = await stack.session(email);
    expect((await stack.http.get('/api/v1/me', second.headers)).body.user).toMatchObject({ role: 'agent', teamIds: [team.body.id] });
  });

  it('lets an invited person in at their first sign-in, keyed by Google subject from then on', async () => {
    const email = `invited@${DOMAIN}`;
    const invite = await stack.http.post('/api/v1/admin/users', { email, role: 'manager' }, admin.headers);
    expect(invite.body.status).toBe('invited');
    const session = await stack.session(email);
    const me = await stack.http.get('/api/v1/me', session.headers);
    expect(me.body.user).toMatchObject({ id: invite.body.id, role: 'manager', status: 'active' });
    const [row] = await sql<{ google_sub: string }>('SELECT google_sub FROM gateway.user_account WHERE id = $1', [invite.body.id]);
    expect(row.google_sub).toMatch(/^\d{21}$/);
  });
});

describe('sessions', () => {
  it('gives a new session id at every sign-in and ends the one the browser had', async () => {
    const first = await stack.session(ADMIN_EMAIL);
    const second = await stack.signIn(ADMIN_EMAIL, first.cookie);
    expect(second.session!.cookie).not.toBe(first.cookie);
    expect((await stack.http.get('/api/v1/me', { cookie: first.cookie })).body.code).toBe('session-revoked');
    expect((await stack.http.get('/api/v1/me', { cookie: second.session!.cookie })).status).toBe(200);
  });

  it('refuses unsafe cookie requests without the CSRF token, and signs out', async () => {
    const session = await stack.session(ADMIN_EMAIL);
    const noCsrf = await stack.http.post('/api/v1/admin/teams', { name: 'No CSRF' }, { cookie: session.cookie });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('csrf-token-invalid');
    const wrong = await stack.http.post('/api/v1/auth/logout', {}, { cookie: session.cookie, 'x-csrf-token': 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const out = await stack.http.post('/api/v1/auth/logout', {}, session.headers);
    expect(out.status).toBe(204);
    const after = await stack.http.get('/api/v1/me', session.headers);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'session-revoked' });
  });

  it('ends a session after the idle time and after the absolute lifetime', async () => {
    const idle = await stack.session(ADMIN_EMAIL);
    await sql(`UPDATE gateway.session SET last_seen_at = now() - interval '61 minutes' WHERE token_hash = $1`, [hashOf(idle)]);
    expect((await stack.http.get('/api/v1/me', idle.headers)).body.code).toBe('session-idle');
    const old = await stack.session(ADMIN_EMAIL);
    await sql(`UPDATE gateway.session SET absolute_expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hashOf(old)]);
    expect((await stack.http.get('/api/v1/me', old.headers)).body.code).toBe('session-expired');
  });

  it('lets an admin end another user\'s sessions; deactivation ends them at once and blocks sign-in', async () => {
    const email = `leaver@${DOMAIN}`;
    const invite = await stack.http.post('/api/v1/admin/users', { email, role: 'agent' }, admin.headers);
    const a = await stack.session(email);
    const b = await stack.session(email);
    const live = await stack.http.get(`/api/v1/admin/users/${invite.body.id}/sessions`, admin.headers);
    expect(live.body.items).toHaveLength(2);

    expect((await stack.http.delete(`/api/v1/admin/sessions/${live.body.items[0].id}`, admin.headers)).status).toBe(204);
    const stillLive = await stack.http.get(`/api/v1/admin/users/${invite.body.id}/sessions`, admin.headers);
    expect(stillLive.body.items).toHaveLength(1);

    const deactivated = await stack.http.post(`/api/v1/admin/users/${invite.body.id}/deactivate`, {}, admin.headers);
    expect(deactivated.body.status).toBe('deactivated');
    for (const session of [a, b]) expect((await stack.http.get('/api/v1/me', session.headers)).status).toBe(401);
    const again = await stack.signIn(email);
    expect(again.status).toBe(403);
    expect(again.problem.code).toBe('account-deactivated');
  });
});

describe('sessions kept in memory', () => {
  it('follow changes made elsewhere (another replica, an operator) as soon as they are notified', async () => {
    expect(await eventually(async () => stack.gateway.app.get(CredentialCache).enabled, Boolean)).toBe(true);
    const email = `cached@${DOMAIN}`;
    const invite = await stack.http.post('/api/v1/admin/users', { email, role: 'agent' }, admin.headers);
    const session = await stack.session(email);
    // The role the session grants comes with the cached session row.
    expect((await stack.http.get('/api/v1/admin/users', session.headers)).status).toBe(403);
    expect((await stack.http.get('/api/v1/admin/users', session.headers)).status).toBe(403);

    // Straight in the database, as another gateway replica's admin action would land.
    await sql(`UPDATE gateway.user_account SET role = 'admin' WHERE id = $1`, [invite.body.id]);
    const promoted = await eventually(() => stack.http.get('/api/v1/admin/users', session.headers), (r) => r.status === 200, 5_000, 20);
    expect(promoted.status).toBe(200);

    await sql(`UPDATE gateway.session SET revoked_at = now(), revoked_reason = 'elsewhere' WHERE token_hash = $1`, [hashOf(session)]);
    const ended = await eventually(() => stack.http.get('/api/v1/me', session.headers), (r) => r.status === 401, 5_000, 20);
    expect(ended.body.code).toBe('session-revoked');
  });
});

describe('admin API', () => {
  it('is for admins only', async () => {
    await stack.http.post('/api/v1/admin/users', { email: `agent1@${DOMAIN}`, role: 'agent' }, admin.headers);
    const agent = await stack.session(`agent1@${DOMAIN}`);
    const res = await stack.http.get('/api/v1/admin/users', agent.headers);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('role-not-allowed');
    expect((await stack.http.get('/api/v1/admin/users')).status).toBe(401);
  });

  it('records every admin action with who, what, when, before and after, queryable by admins', async () => {
    const invite = await stack.http.post('/api/v1/admin/users', { email: `audited@${DOMAIN}`, role: 'agent' }, admin.headers);
    const id = invite.body.id as string;
    await stack.http.patch(`/api/v1/admin/users/${id}`, { role: 'manager' }, admin.headers);
    const me = await stack.http.get('/api/v1/me', admin.headers);
    const log = await stack.http.get(`/api/v1/admin/audit-log?targetId=${id}`, admin.headers);
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['user.updated', 'user.invited']);
    const [updated] = log.body.items;
    expect(updated).toMatchObject({ actorId: me.body.user.id, targetType: 'user', before: { role: 'agent' }, after: { role: 'manager' } });
    expect(Date.parse(updated.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(updated.requestId).toEqual(expect.any(String));
  });

  it('does not let an admin demote or deactivate themselves', async () => {
    const me = await stack.http.get('/api/v1/me', admin.headers);
    const res = await stack.http.post(`/api/v1/admin/users/${me.body.user.id}/deactivate`, {}, admin.headers);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not-on-yourself');
  });
});
