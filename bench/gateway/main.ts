import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client, Pool } from 'pg';
import type { Caller } from '@pace/auth';
import { quoteIdent, withDatabase } from '@pace/database';
import { APPLICANTS_CONTRACT, type ApplicantsRpc, GrpcServiceClient } from '@pace/rpc';
import { freePort, signIn, startFakeGoogle } from '@pace/testing';
import { cpuMs } from '../proc';
import { percentile, waitReady } from '../util';

/**
 * bench/gateway: GET /api/v1/applicants/{id} four ways, each at 64 concurrent clients:
 *   1. through the gateway over HTTP (API token lookup, policy, rate limit, signed caller
 *      context, gRPC with a deadline, mapping, JSON) — autocannon, 64 connections;
 *   2. straight to the applicants service over gRPC (signed caller context, visibility, SQL) —
 *      64 concurrent calls on one channel, as the gateway makes them;
 *   3. the SQL statement alone, on 64 pg connections (and on 10, the services' pool size);
 *   4. the floor (./floor.ts): the same hops with the least code on each — a bare node:http server,
 *      one grpc-js channel, a bare grpc-js server running the same SQL, each its own process; the
 *      same with gRPC's framing by hand on node:http2 instead of grpc-js; and the bare HTTP server
 *      running the SQL itself (no gRPC hop). Autocannon, as for the gateway.
 * The services run as their own processes against the local PostgreSQL, as in production; the
 * paths run one after another on the same machine. Prints req/s, p50, p99 and ratios to
 * raw SQL, and the CPU time each process spent per request during each timed run (the gateway,
 * the applicants service, the PostgreSQL backends of the scratch database, and this process as
 * the client, from /proc and process.cpuUsage()): with 64 closed-loop clients on a small machine
 * the latencies follow the total CPU per request, and CPU time moves far less than elapsed time
 * when others share the machine. Not part of npm test:
 *
 *   npm run build && node dist/bench/gateway/main.js
 *
 * BENCH_SECONDS (10 per path), BENCH_APPLICANTS (10000), BENCH_CONNECTIONS (64), BENCH_LOG_LEVEL (warn),
 * BENCH_DATABASE_URL (a server where a scratch database may be made; default the local one).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const COUNT = Number(process.env.BENCH_APPLICANTS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
/** The services' LOG_LEVEL; `info` (production's) writes an access line per request (to /dev/null here). */
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `pace_bench_gateway_${process.pid}`;
const SECRET = randomBytes(32).toString('base64url');
const DOMAIN = 'bench.test';
const root = path.resolve(__dirname, '../../..');
const children: ChildProcess[] = [];

const SQL = `SELECT id, first_name, last_name, phones, emails, owner_id, team_id, created_at, updated_at, version FROM applicants.applicant WHERE id = $1`;

interface Result {
  path: string;
  requests: number;
  seconds: number;
  latenciesMs: number[];
  errors: number;
  /** CPU milliseconds spent during the timed run, per process group. */
  cpuMs?: Cpu;
}

interface Cpu {
  gateway: number;
  applicants: number;
  postgres: number;
  client: number;
}

/** utime + stime of a process in ms, or 0 when it is gone. */
const processCpuMs = (pid: number | undefined): number => (pid ? (cpuMs([pid]) ?? 0) : 0);

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function startService(name: string, env: Record<string, string>, script = path.join(root, 'dist/services', name, 'src/main.js')): ChildProcess {
  // BENCH_PROFILE=<dir>: each service writes a CPU profile there when it stops.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, script], {
    env: { PATH: process.env.PATH, LOG_LEVEL: LOG_LEVEL, LOG_PRETTY: 'false', EVENT_BUS: 'memory', CALLER_SIGNING_SECRET: SECRET, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

/** `concurrency` loops calling `once` for `seconds`, latency of each call recorded. */
async function closedLoop(name: string, seconds: number, concurrency: number, once: (i: number) => Promise<unknown>): Promise<Result> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let n = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await once(n++);
          latenciesMs.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { path: name, requests: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs, errors };
}

/** autocannon on `url` + id at CONNECTIONS connections; anything but a 200 is an error. */
async function viaHttp(name: string, url: string, headers: Record<string, string>, ids: string[], seconds: number): Promise<Result> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let n = 0;
  const prefix = new URL(url).pathname;
  const started = performance.now();
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: prefix + ids[n++ % ids.length] }) }],
  });
  // Full-resolution latencies (autocannon's own histogram counts whole milliseconds).
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status === 200) latenciesMs.push(ms);
    else errors++;
  });
  instance.on('reqError', () => errors++);
  await instance;
  return { path: name, requests: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs, errors };
}

/** CPU counters now: the two services, every backend connected to the scratch database, this process. */
async function cpuSnapshot(pool: Pool, services: { gateway?: number; applicants?: number }): Promise<{ at: Cpu; backends: Map<number, number> }> {
  const pids = (await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).rows.map((r) => r.pid);
  const backends = new Map(pids.map((pid) => [pid, processCpuMs(pid)]));
  const own = process.cpuUsage();
  return {
    at: { gateway: processCpuMs(services.gateway), applicants: processCpuMs(services.applicants), postgres: 0, client: (own.user + own.system) / 1000 },
    backends,
  };
}

function cpuBetween(before: Awaited<ReturnType<typeof cpuSnapshot>>, after: Awaited<ReturnType<typeof cpuSnapshot>>): Cpu {
  let postgres = 0;
  // Backends that started during the run count from zero; those that ended are lost (pools keep theirs).
  for (const [pid, ms] of after.backends) postgres += ms - (before.backends.get(pid) ?? 0);
  return {
    gateway: after.at.gateway - before.at.gateway,
    applicants: after.at.applicants - before.at.applicants,
    postgres,
    client: after.at.client - before.at.client,
  };
}

function print(results: Result[]): void {
  const baseline = results[0];
  const stats = (r: Result) => {
    const sorted = [...r.latenciesMs].sort((a, b) => a - b);
    return { rps: r.requests / r.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  const base = stats(baseline);
  const rows = results.map((r) => {
    const s = stats(r);
    return [
      r.path.padEnd(40),
      s.rps.toFixed(0).padStart(8),
      s.p50.toFixed(2).padStart(8),
      s.p99.toFixed(2).padStart(8),
      `${(s.p50 / base.p50).toFixed(2)}×`.padStart(8),
      `${(s.p99 / base.p99).toFixed(2)}×`.padStart(8),
      `${(s.rps / base.rps).toFixed(2)}×`.padStart(8),
      String(r.errors).padStart(6),
    ].join(' ');
  });
  console.log(`\nGET /api/v1/applicants/{id}, ${CONNECTIONS} concurrent clients, ${SECONDS} s each, ${COUNT} applicants, services at LOG_LEVEL=${LOG_LEVEL}`);
  console.log(['path'.padEnd(40), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'p50/SQL'.padStart(8), 'p99/SQL'.padStart(8), 'rps/SQL'.padStart(8), 'errors'.padStart(6)].join(' '));
  for (const row of rows) console.log(row);
  const ratio = (prefix: string) => (stats(results.find((r) => r.path.startsWith(prefix))!).p99 / base.p99).toFixed(2);
  console.log(`\np99 / raw SQL p99: gateway ${ratio('gateway')} (goal ≤ 1.5); floor (bare http → grpc-js → pg) ${ratio('floor (')}, on node:http2 ${ratio('floor, gRPC')}`);
  console.log(`\nCPU per request (µs; /proc ticks of 10 ms, summed over the timed run; floor rows: its stand-ins as gateway and applic.), load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(['path'.padEnd(40), 'gateway'.padStart(8), 'applic.'.padStart(8), 'postgres'.padStart(8), 'client'.padStart(8), 'servers'.padStart(8), 'all'.padStart(8)].join(' '));
  for (const r of results) {
    if (!r.cpuMs || !r.requests) continue;
    const per = (ms: number) => ((ms * 1000) / r.requests).toFixed(0).padStart(8);
    const c = r.cpuMs;
    console.log([r.path.padEnd(40), per(c.gateway), per(c.applicants), per(c.postgres), per(c.client), per(c.gateway + c.applicants + c.postgres), per(c.gateway + c.applicants + c.postgres + c.client)].join(' '));
  }
}

async function main(): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${quoteIdent(dbName)}`);
  const databaseUrl = withDatabase(adminUrl, dbName);
  const google = await startFakeGoogle();
  try {
    const [httpA, grpcA, httpG] = [await freePort(), await freePort(), await freePort()];
    const applicants = startService('applicants', { DATABASE_URL: databaseUrl, PORT: String(httpA), GRPC_PORT: String(grpcA) });
    await waitReady(`http://127.0.0.1:${httpA}/health/ready`);
    const gatewayUrl = `http://127.0.0.1:${httpG}`;
    const gatewayProcess = startService('gateway', {
      DATABASE_URL: databaseUrl,
      PORT: String(httpG),
      APPLICANTS_GRPC_URL: `127.0.0.1:${grpcA}`,
      LISTINGS_URL: 'http://127.0.0.1:1',
      SYNDICATION_URL: 'http://127.0.0.1:1',
      OIDC_ISSUER: google.issuer,
      OIDC_CLIENT_ID: 'pace-bench',
      OIDC_REDIRECT_URL: `${gatewayUrl}/api/v1/auth/callback`,
      ALLOWED_DOMAINS: DOMAIN,
      BOOTSTRAP_ADMIN_EMAILS: `admin@${DOMAIN}`,
      RATE_LIMIT_TOKEN_PER_MINUTE: '1000000000',
    });
    await waitReady(`${gatewayUrl}/health/ready`);

    const pool64 = new Pool({ connectionString: databaseUrl, max: CONNECTIONS });
    const pool10 = new Pool({ connectionString: databaseUrl, max: 10 });
    // When a path fails, `finally` drops the database under these pools: their idle clients' errors
    // must not hide the failure that got us there.
    for (const pool of [pool64, pool10]) pool.on('error', () => undefined);
    await pool64.query(
      `INSERT INTO applicants.applicant (id, first_name, last_name, phones, emails, owner_id, team_id, version)
       SELECT gen_random_uuid(), 'First' || i, 'Last' || i, ARRAY['+9715' || lpad(i::text, 8, '0')], ARRAY['a' || i || '@example.ae'], NULL, NULL, 1
         FROM generate_series(1, $1::int) AS i`,
      [COUNT],
    );
    await pool64.query('ANALYZE applicants.applicant');
    const ids = (await pool64.query<{ id: string }>('SELECT id FROM applicants.applicant ORDER BY random() LIMIT 1000')).rows.map((r) => r.id);

    // A machine principal with applicants:read, as the Salesforce adapter or the AI backend would call.
    const session = (await signIn(gatewayUrl, `admin@${DOMAIN}`)).session!;
    const post = async (p: string, body: unknown) =>
      (await fetch(gatewayUrl + p, { method: 'POST', headers: { ...session.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;
    const principal = await post('/api/v1/admin/service-principals', { name: 'bench' });
    const token = (await post(`/api/v1/admin/service-principals/${String(principal.id)}/tokens`, { scopes: ['applicants:read'] })).token as string;
    const check = await fetch(`${gatewayUrl}/api/v1/applicants/${ids[0]}`, { headers: { authorization: `Bearer ${token}` } });
    if (check.status !== 200) throw new Error(`gateway answered ${check.status}: ${await check.text()}`);

    // The floor's stand-ins (./floor.ts): two gRPC servers, and an HTTP server in front of each and alone.
    const floor = async (name: string, env: Record<string, string>) => {
      const port = await freePort();
      const child = startService(name, { DATABASE_URL: databaseUrl, FLOOR_SQL: SQL, FLOOR_PORT: String(port), ...env }, path.join(__dirname, 'floor.js'));
      return { pid: child.pid, port, url: `http://127.0.0.1:${port}/x/` };
    };
    const [grpcJs, h2] = [await floor('floor-grpc-js', { FLOOR_ROLE: 'grpc-js' }), await floor('floor-h2', { FLOOR_ROLE: 'h2' })];
    const viaGrpcJs = await floor('floor-http-grpc-js', { FLOOR_ROLE: 'http', FLOOR_CLIENT: 'grpc-js', FLOOR_GRPC_URL: `127.0.0.1:${grpcJs.port}` });
    const viaH2 = await floor('floor-http-h2', { FLOOR_ROLE: 'http', FLOOR_CLIENT: 'h2', FLOOR_GRPC_URL: `127.0.0.1:${h2.port}` });
    const alone = await floor('floor-http', { FLOOR_ROLE: 'http' });
    for (const { url } of [viaGrpcJs, viaH2, alone]) await waitReady(url + ids[0]);

    const grpc = new GrpcServiceClient<ApplicantsRpc>({ contract: APPLICANTS_CONTRACT, service: 'applicants', url: `127.0.0.1:${grpcA}`, secret: SECRET, deadlineMs: 5000 });
    const caller: Caller = { kind: 'service', id: randomUUID(), name: 'bench', scopes: ['applicants:read'] };

    const services = { gateway: gatewayProcess.pid, applicants: applicants.pid };
    const paths: [string, (seconds: number) => Promise<Result>, { gateway?: number; applicants?: number }?][] = [
      [`raw SQL (${CONNECTIONS} connections)`, (s) => closedLoop(`raw SQL (${CONNECTIONS} connections)`, s, CONNECTIONS, (i) => pool64.query(SQL, [ids[i % ids.length]]))],
      ['raw SQL (10 connections, as a service)', (s) => closedLoop('raw SQL (10 connections, as a service)', s, CONNECTIONS, (i) => pool10.query(SQL, [ids[i % ids.length]]))],
      ['applicants over gRPC (direct)', (s) => closedLoop('applicants over gRPC (direct)', s, CONNECTIONS, (i) => grpc.call('getApplicant', { id: ids[i % ids.length] }, caller))],
      ['gateway', (s) => viaHttp('gateway (HTTP, API token → gRPC)', `${gatewayUrl}/api/v1/applicants/`, { authorization: `Bearer ${token}` }, ids, s)],
      ['floor', (s) => viaHttp('floor (bare http → grpc-js → pg)', viaGrpcJs.url, {}, ids, s), { gateway: viaGrpcJs.pid, applicants: grpcJs.pid }],
      ['floor, gRPC on node:http2', (s) => viaHttp('floor, gRPC on bare node:http2', viaH2.url, {}, ids, s), { gateway: viaH2.pid, applicants: h2.pid }],
      ['floor, HTTP only', (s) => viaHttp('floor, HTTP only (bare http → pg)', alone.url, {}, ids, s), { gateway: alone.pid }],
    ];
    const results: Result[] = [];
    for (const [name, run, pids = services] of paths) {
      await run(WARMUP_SECONDS);
      const before = await cpuSnapshot(pool10, pids);
      const result = await run(SECONDS);
      result.cpuMs = cpuBetween(before, await cpuSnapshot(pool10, pids));
      results.push(result);
      console.error(`${name}: done`);
    }
    print(results);
    grpc.close();
    await pool64.end();
    await pool10.end();
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
    await google.close();
    await admin(`DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
