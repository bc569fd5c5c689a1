import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, signIn } from '@pace/testing';
import { services } from '../../../scripts/services';

// `npm start` as a user runs it: one process, embedded PostgreSQL, data kept in a folder.
const main = path.resolve(__dirname, '../../../dist/apps/embedded/src/main.js');
const offset = 20000 + (process.pid % 5000) * 2;
const gateway = `http://127.0.0.1:${3000 + offset}`;
let dataDir: string;

function start(): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, PACE_DATA_DIR: dataDir, PACE_PORT_OFFSET: String(offset), LOG_LEVEL: 'warn', LOG_PRETTY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

async function waitReady(limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    try {
      if ((await fetch(`${gateway}/health/ready`)).status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready within ${limitMs} ms`);
}

function stop(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve({ code, ms: Date.now() - started }));
    child.kill('SIGTERM');
  });
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pace-embedded-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (embedded)', () => {
  it('serves readiness within 30 s, stops cleanly on SIGTERM within 10 s, and keeps data across restarts', async () => {
    const first = start();
    try {
      await waitReady(30_000);
    } catch (error) {
      first.child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n${first.output()}`, { cause: error });
    }
    expect(first.output()).toContain(`${gateway}/api/v1/applicants`);
    expect(first.output()).toContain(`${gateway}/api/v1/auth/login?login_hint=admin@pace.test`);
    // Sign-in works out of the box: a local OpenID provider stands in for Google.
    const admin = (await signIn(gateway, 'admin@pace.test')).session!;
    const created = await api(gateway, admin.headers).post('/api/v1/applicants', { firstName: 'Persisted', lastName: 'Across Restarts', phones: ['0501112233'] });
    expect(created.status).toBe(201);
    // The sync feed works on PGlite too (transaction ids, snapshots and the triggers).
    const principal = await api(gateway, admin.headers).post('/api/v1/admin/service-principals', { name: 'salesforce-adapter', description: 'sync' });
    const token = await api(gateway, admin.headers).post(`/api/v1/admin/service-principals/${principal.body.id}/tokens`, { scopes: ['applicants:read'] });
    const feed = await api(gateway, { authorization: `Bearer ${token.body.token}` }).get('/api/v1/sync/applicants?limit=1000');
    expect(feed.status).toBe(200);
    expect(feed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.body.id, deleted: false })]));
    // The in-process bus carries the applicant event to telephony's phone directory within a second.
    const telephony = `http://127.0.0.1:${3106 + offset}`;
    const asked = Date.now();
    let matches: unknown[] = [];
    while (!matches.length && Date.now() - asked < 1000) {
      matches = (await api(telephony).get('/directory?phone=050%20111%202233')).body.matches ?? [];
      if (!matches.length) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(matches).toEqual([{ applicantId: created.body.id, displayName: 'Persisted Across Restarts' }]);
    // Every service serves /metrics with the event backbone's outbox lag and dead-letter counters.
    for (const service of services) {
      const text = await (await fetch(`http://127.0.0.1:${service.defaultPort + offset}/metrics`)).text();
      const found = ['pace_outbox_lag_seconds', 'pace_events_dead_lettered_total'].filter((name) => text.includes(`# TYPE ${name} `));
      expect([service.name, found]).toEqual([service.name, ['pace_outbox_lag_seconds', 'pace_events_dead_lettered_total']]);
    }

    // Portals work out of the box: a demo listing goes live on the local Property Finder (pushed,
    // confirmed by its signed webhook) and in the Bayut feed whose URL was printed.
    const demoListing = '01900000-0000-7000-8000-0000000d0001';
    let portals: { portal: string; state: string }[] = [];
    for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 250))) {
      portals = (await api(gateway, admin.headers).get(`/api/v1/listings/${demoListing}/publications`)).body.portals ?? [];
      if (portals.filter((p) => p.state === 'live').length === 3) break;
    }
    expect(portals.map((p) => [p.portal, p.state])).toEqual([['propertyfinder', 'live'], ['bayut', 'live'], ['website', 'live']]);
    // Matching works on PGlite too: the demo Marina apartment fits the demo applicant Fatima.
    let matched: { firstName: string }[] = [];
    for (const until = Date.now() + 10_000; !matched.length && Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 250))) {
      matched = (await api(gateway, admin.headers).get(`/api/v1/listings/${demoListing}/matches`)).body.items ?? [];
    }
    expect(matched.map((m) => m.firstName)).toEqual(['Fatima']);
    // The feed's URL is printed once the runner has switched every portal on.
    for (const until = Date.now() + 10_000; !first.output().includes('Bayut feed') && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 100));
    const feedUrl = /Bayut feed (\S+)/.exec(first.output())?.[1];
    expect(feedUrl).toBeDefined();
    const bayutFeed = await (await fetch(feedUrl!)).text();
    expect(bayutFeed).toContain('<Property_Ref_No><![CDATA[ALS-S-001001]]></Property_Ref_No>');

    const stopped = await stop(first.child);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);

    const second = start();
    try {
      await waitReady(30_000);
      const again = (await signIn(gateway, 'admin@pace.test')).session!;
      const read = await api(gateway, again.headers).get(`/api/v1/applicants/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ firstName: 'Persisted', phones: ['+971501112233'] });
    } finally {
      expect((await stop(second.child)).code).toBe(0);
    }
  }, 90_000);
});
