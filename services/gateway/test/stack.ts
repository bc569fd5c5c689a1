import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningService } from '@pace/platform';
import {
  type FakeGoogle,
  type TestDatabase,
  type TestSession,
  api,
  createTestDatabase,
  freePort,
  grpcTestEnv,
  signIn,
  startFakeGoogle,
  startTestService,
  stopAll,
} from '@pace/testing';
import { applicantsService } from '../../applicants/src/service';
import { PNG } from '../../listings/test/fixtures';
import { listingsService } from '../../listings/src/service';
import { syndicationService } from '../../syndication/src/service';
import { gatewayService } from '../src/service';

export const DOMAIN = 'pace.test';
export const ADMIN_EMAIL = `admin@${DOMAIN}`;
export const CLIENT_ID = 'pace-test-client';

/**
 * The gateway as deployed: in front of a real applicants service (gRPC), against a fake Google
 * (a real OpenID provider on loopback), on a fresh database. The first admin comes from
 * BOOTSTRAP_ADMIN_EMAILS, as on a new install.
 */
export interface Stack {
  db: TestDatabase;
  google: FakeGoogle;
  applicants: RunningService;
  /** Started only when asked for (`startStack(env, { listings: true })`). */
  listings?: RunningService;
  /** Started only when asked for (`{ syndication: true }`, with listings): on the same bus as listings. */
  syndication?: RunningService;
  gateway: RunningService;
  grpcPort: string;
  http: ReturnType<typeof api>;
  signIn: (email: string, extraCookie?: string) => ReturnType<typeof signIn>;
  /** Signs in and returns the session; fails the test when refused. */
  session: (email: string) => Promise<TestSession>;
  close: () => Promise<void>;
}

export async function startStack(gatewayEnv: Record<string, string> = {}, options: { listings?: boolean; syndication?: boolean; bus?: Record<string, string>; applicantsEnv?: Record<string, string>; listingsEnv?: Record<string, string>; syndicationEnv?: Record<string, string> } = {}): Promise<Stack> {
  const db = await createTestDatabase();
  const google = await startFakeGoogle();
  const grpc = await grpcTestEnv();
  const applicants = await startTestService(applicantsService, { DATABASE_URL: db.url, EVENT_BUS: 'memory', ...grpc, ...options.applicantsEnv });
  // Listings and syndication talk over events: the caller may give them a real bus (testBusEnv()).
  const bus = options.bus ?? { EVENT_BUS: 'memory' };
  const listings = options.listings || options.syndication
    ? await startTestService(listingsService, {
        DATABASE_URL: db.url,
        ...bus,
        CALLER_SIGNING_SECRET: grpc.CALLER_SIGNING_SECRET,
        LISTINGS_MEDIA_DIR: path.join(tmpdir(), `pace-gateway-test-${db.name}`),
        ...options.listingsEnv,
      })
    : undefined;
  const syndication = options.syndication
    ? await startTestService(syndicationService, {
        DATABASE_URL: db.url,
        ...bus,
        CALLER_SIGNING_SECRET: grpc.CALLER_SIGNING_SECRET,
        SYNDICATION_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
        SYNDICATION_WORKER_POLL_MS: '100',
        ...options.syndicationEnv,
      })
    : undefined;
  // Without a listings service the gateway points at a closed port (its listings routes answer 502).
  const listingsUrl = listings?.url ?? 'http://127.0.0.1:1';
  const port = await freePort();
  const gateway = await startTestService(
    gatewayService,
    {
      DATABASE_URL: db.url,
      EVENT_BUS: 'memory',
      APPLICANTS_GRPC_URL: `127.0.0.1:${grpc.GRPC_PORT}`,
      LISTINGS_URL: listingsUrl,
      SYNDICATION_URL: syndication?.url ?? 'http://127.0.0.1:1',
      CALLER_SIGNING_SECRET: grpc.CALLER_SIGNING_SECRET,
      OIDC_ISSUER: google.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/api/v1/auth/callback`,
      ALLOWED_DOMAINS: DOMAIN,
      BOOTSTRAP_ADMIN_EMAILS: ADMIN_EMAIL,
      ...gatewayEnv,
    },
    port,
  );
  const stack: Stack = {
    db,
    google,
    applicants,
    listings,
    syndication,
    gateway,
    grpcPort: grpc.GRPC_PORT,
    http: api(gateway.url),
    signIn: (email, extraCookie) => signIn(gateway.url, email, extraCookie),
    session: async (email) => {
      const result = await signIn(gateway.url, email);
      if (!result.session) throw new Error(`sign-in of ${email} refused: ${result.status} ${JSON.stringify(result.problem)}`);
      return result.session;
    },
    close: async () => {
      await stopAll(applicants, listings, syndication, gateway);
      await google.close();
      await db.drop();
    },
  };
  return stack;
}

/** Admin creates a team; returns its id. */
export async function createTeam(stack: Stack, admin: TestSession, name: string): Promise<string> {
  const res = await stack.http.post('/api/v1/admin/teams', { name }, admin.headers);
  if (res.status !== 201) throw new Error(`team ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Admin invites a person with a role and teams; they sign in; returns their session and id. */
export async function person(
  stack: Stack,
  admin: TestSession,
  email: string,
  role: 'agent' | 'manager' | 'admin',
  teamIds: string[],
): Promise<{ id: string; session: TestSession }> {
  const invited = await stack.http.post('/api/v1/admin/users', { email, role, teamIds }, admin.headers);
  if (invited.status !== 201) throw new Error(`invite ${email}: ${invited.status} ${JSON.stringify(invited.body)}`);
  return { id: invited.body.id as string, session: await stack.session(email) };
}

/**
 * The role × owner matrix's people: teams A and B, the admin in team A too (so "same team" means
 * something for every role), agents A1 and A2 and manager A in team A, agent B and manager B in
 * team B. Sessions and user ids by key; `teamA`/`teamB` in ids.
 */
export async function twoTeams(stack: Stack): Promise<{ sessions: Record<string, TestSession>; ids: Record<string, string> }> {
  const admin = await stack.session(ADMIN_EMAIL);
  const teamA = await createTeam(stack, admin, 'Team A');
  const teamB = await createTeam(stack, admin, 'Team B');
  const ids: Record<string, string> = { teamA, teamB };
  const adminId = (await stack.http.get('/api/v1/me', admin.headers)).body.user.id as string;
  await stack.http.patch(`/api/v1/admin/users/${adminId}`, { teamIds: [teamA] }, admin.headers);
  ids.admin = adminId;
  const sessions: Record<string, TestSession> = { admin: await stack.session(ADMIN_EMAIL) };
  for (const [key, role, team] of [
    ['agentA1', 'agent', teamA],
    ['agentA2', 'agent', teamA],
    ['managerA', 'manager', teamA],
    ['agentB', 'agent', teamB],
    ['managerB', 'manager', teamB],
  ] as const) {
    const p = await person(stack, admin, `${key.toLowerCase()}@${DOMAIN}`, role, [team]);
    sessions[key] = p.session;
    ids[key] = p.id;
  }
  return { sessions, ids };
}

/**
 * Who sees whose applicant (the people of `twoTeams`, records named `of<Owner>`): caller, the
 * record's relation to the caller, the record, visible?
 */
export const ROLE_OWNER_MATRIX: [string, string, string, boolean][] = [
  ['agentA1', 'own', 'ofAgentA1', true],
  ['agentA1', 'same team', 'ofAgentA2', false],
  ['agentA1', 'other team', 'ofAgentB', false],
  ['managerA', 'own', 'ofManagerA', true],
  ['managerA', 'same team', 'ofAgentA1', true],
  ['managerA', 'other team', 'ofAgentB', false],
  ['admin', 'own', 'ofAdmin', true],
  ['admin', 'same team', 'ofAgentA2', true],
  ['admin', 'other team', 'ofAgentB', true],
];

/**
 * A listing through its whole lifecycle to `published`, through the gateway: the agent's draft, a
 * photo-weight image, submit, the manager's approval, publish. Returns its id; fails the test on
 * any refusal.
 */
export async function publishListing(stack: Stack, agent: TestSession, manager: TestSession, draft: Record<string, unknown>): Promise<string> {
  const created = await stack.http.post('/api/v1/listings', draft, agent.headers);
  expect([created.status, created.body.errors]).toEqual([201, undefined]);
  const id = created.body.id as string;
  const upload = await fetch(`${stack.gateway.url}/api/v1/listings/${id}/media?kind=image`, {
    method: 'POST',
    headers: { ...agent.headers, 'content-type': 'image/png' },
    body: PNG,
  });
  expect(upload.status).toBe(201);
  for (const [who, action] of [[agent, 'submit'], [manager, 'approve'], [agent, 'publish']] as const) {
    const res = await stack.http.post(`/api/v1/listings/${id}/transitions`, { action }, who.headers);
    expect([res.status, res.body.code]).toEqual([200, undefined]);
  }
  return id;
}
