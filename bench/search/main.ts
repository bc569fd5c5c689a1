import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, signCaller } from '@pace/auth';
import { createDataSource, quoteIdent, runMigrations, withDatabase } from '@pace/database';
import type { Caller } from '../../services/listings/src/common/caller';
import { listingsService } from '../../services/listings/src/service';
import { freePort, signIn, startFakeGoogle } from '@pace/testing';
import { COMMUNITIES, agentId, seedSql, teamId } from './seed.sql';
import { cpuMs } from '../proc';
import { searchSqlOf } from './search-sql';
import { percentile, waitReady } from '../util';

/**
 * bench/search: a typical filtered, sorted, paged listing search through the listings HTTP
 * endpoint (signed caller context, zod parsing, visibility, SQL, mapping, JSON), and through the
 * gateway in front of it with an API token, against the very same SQL statement run directly
 * with pg, on 100k listings, one request at a time, interleaved in blocks so both paths see the
 * same machine. The service runs as its own process, as it does in production (like PostgreSQL
 * for the direct path); both clients keep their connection open. The last scenario, the floor,
 * runs the same chain of processes with the least code per hop (floor-relay.ts → floor-service.ts:
 * bare node:http, the same statement via pg): what the hops alone cost, whatever the framework.
 * Prints p50/p99 of each and their ratio.
 *
 *   npm run build && node dist/bench/search/main.js
 *
 * BENCH_LISTINGS (100000), BENCH_ITERATIONS (2000 per path and scenario), BENCH_DATABASE_URL
 * (a server where a scratch database may be made; default the local PostgreSQL), BENCH_SCENARIOS
 * (words of the scenario names to run, e.g. `gateway`; all by default).
 */
const COUNT = Number(process.env.BENCH_LISTINGS ?? 100_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const BLOCK = 50;
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `pace_bench_search_${process.pid}`;

interface Scenario {
  name: string;
  caller: Caller;
  /** Query strings, used in turn. */
  queries: string[];
  /**
   * Through the gateway (public URL, API token), or through the floor's stand-ins for both,
   * instead of the listings service itself.
   */
  via?: 'gateway' | 'floor';
}

const manager: Caller = { userId: agentId(0), role: 'manager', teamIds: [teamId(0), teamId(1)] };
const admin: Caller = { userId: agentId(199), role: 'admin', teamIds: [] };
/** A machine with `listings:read` (the website adapter, the AI suite): sees the whole book. */
const machine: Caller = { userId: agentId(198), role: 'service', teamIds: [] };

function typicalQueries(): string[] {
  // A buyer's brief: 2+ bed apartments for sale, published, in a price band, cheapest first, 20 a page.
  const dubai = COMMUNITIES.filter(([e]) => e === 'dubai').slice(0, 12);
  return dubai.map(([, community, factor], i) => {
    const low = Math.round(2 * 900_000 * factor * 0.8) * 100;
    const high = Math.round(4 * 900_000 * factor * 1.2) * 100;
    const beds = 1 + (i % 3);
    return `purpose=sale&propertyType=apartment&status=published&community=${encodeURIComponent(community)}&minBeds=${beds}&minPrice=${low}&maxPrice=${high}&sort=price_asc&limit=20`;
  });
}

const SECRET = randomBytes(32).toString('base64url');

/** The gateway's signed caller context, made fresh per request as the gateway does. */
const headersOf = (c: Caller): Record<string, string> => {
  const signed = signCaller(
    c.role === 'service' ? { kind: 'service', id: c.userId, name: 'bench', scopes: ['listings:read'] } : { kind: 'user', id: c.userId, role: c.role, teamIds: c.teamIds },
    { secret: SECRET, audience: 'listings' },
  );
  return { [CALLER_HEADER]: signed.value, [CALLER_SIGNATURE_HEADER]: signed.signature };
};

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** A GET on a kept-alive connection, body read whole (lighter than fetch, like pg's client). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** BENCH_PROFILE=<dir>: each service writes a CPU profile there when it stops. */
const profile = (name: string) => (process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`, `--cpu-prof-name=${name}.cpuprofile`] : []);

/** A node process of its own running the compiled `script` (relative to this file), profiled as `name`. */
const node = (name: string, script: string, env: Record<string, string>) =>
  spawn(process.execPath, [...profile(name), path.join(__dirname, script)], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });

/** CPU ms of each of these processes that still exists (pools close idle connections: the gateway's, while its credentials come from memory). */
const eachCpuMs = (pids: number[]) => new Map(pids.flatMap((pid) => { const ms = cpuMs([pid]); return ms === undefined ? [] : [[pid, ms] as const]; }));
/** The CPU used between two readings by the processes present in both. */
const spent = (before: Map<number, number>, after: Map<number, number>) => [...after].reduce((sum, [pid, ms]) => sum + (before.has(pid) ? ms - before.get(pid)! : 0), 0);

const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function admin_<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const url = withDatabase(adminUrl, dbName);
  await admin_((c) => c.query(`CREATE DATABASE ${quoteIdent(dbName)}`));
  let service: ChildProcess | undefined;
  let gateway: ChildProcess | undefined;
  let floor: { relay: ChildProcess; service: ChildProcess } | undefined;
  let google: Awaited<ReturnType<typeof startFakeGoogle>> | undefined;
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const t0 = Date.now();
    const ds = createDataSource(listingsService.db, url, 2);
    await ds.initialize();
    await runMigrations(ds);
    await ds.query(seedSql(COUNT));
    await ds.destroy();
    console.log(`seeded ${COUNT} listings in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const port = 39000 + (process.pid % 1000);
    service = node('listings', '../../services/listings/src/main.js', {
      DATABASE_URL: url,
      CALLER_SIGNING_SECRET: SECRET,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      EVENT_BUS: 'memory',
      OUTBOX_LISTEN: 'false',
      LISTINGS_PERMIT_SWEEP_CHECK_MS: '0',
      MIGRATE_ON_START: 'false',
    });
    const base = `http://127.0.0.1:${port}`;
    await waitReady(`${base}/health/ready`);

    // The gateway in front, as its own process: API token lookup, policy, rate limit, query
    // validation, signed caller, HTTP to listings, JSON relayed.
    google = await startFakeGoogle();
    const gatewayPort = await freePort();
    const gatewayBase = `http://127.0.0.1:${gatewayPort}`;
    gateway = node('gateway', '../../services/gateway/src/main.js', {
      DATABASE_URL: url,
      CALLER_SIGNING_SECRET: SECRET,
      PORT: String(gatewayPort),
      LOG_LEVEL: 'warn',
      EVENT_BUS: 'memory',
      OUTBOX_LISTEN: 'false',
      APPLICANTS_GRPC_URL: '127.0.0.1:1',
      LISTINGS_URL: base,
      SYNDICATION_URL: 'http://127.0.0.1:1',
      OIDC_ISSUER: google.issuer,
      OIDC_CLIENT_ID: 'pace-bench',
      OIDC_REDIRECT_URL: `${gatewayBase}/api/v1/auth/callback`,
      ALLOWED_DOMAINS: 'bench.test',
      BOOTSTRAP_ADMIN_EMAILS: 'admin@bench.test',
      RATE_LIMIT_TOKEN_PER_MINUTE: '1000000000',
    });
    await waitReady(`${gatewayBase}/health/ready`);
    const session = (await signIn(gatewayBase, 'admin@bench.test')).session!;
    const post = async (p: string, body: unknown) =>
      (await fetch(gatewayBase + p, { method: 'POST', headers: { ...session.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;
    const principal = await post('/api/v1/admin/service-principals', { name: 'bench-search' });
    const token = (await post(`/api/v1/admin/service-principals/${String(principal.id)}/tokens`, { scopes: ['listings:read'] })).token as string;
    const gatewayHeaders = { authorization: `Bearer ${token}` };

    // The floor: the same two hops, each its own process with the least code (see the header).
    const [floorServicePort, floorRelayPort] = [await freePort(), await freePort()];
    const floorService = node('floor-service', 'floor-service.js', { DATABASE_URL: url, PORT: String(floorServicePort), FLOOR_CALLER: JSON.stringify(machine) });
    floor = { service: floorService, relay: node('floor-relay', 'floor-relay.js', { PORT: String(floorRelayPort), FLOOR_TARGET: `http://127.0.0.1:${floorServicePort}` }) };
    const floorBase = `http://127.0.0.1:${floorRelayPort}`;
    await waitReady(`${floorBase}/health/ready`);

    // Page 2 of each query as well: a cursor from page 1, the same one for both paths.
    const withPages = async (caller: Caller, queries: string[]) => {
      const out = [...queries];
      for (const q of queries) {
        const first = JSON.parse((await get(`${base}/listings?${q}`, headersOf(caller))).body) as { nextCursor: string | null };
        if (first.nextCursor) out.push(`${q}&cursor=${encodeURIComponent(first.nextCursor)}`);
      }
      return out;
    };
    const scenarios: Scenario[] = [
      { name: 'manager (2 of 20 teams), filtered, price asc, pages 1–2', caller: manager, queries: await withPages(manager, typicalQueries()) },
      { name: 'admin (whole book), same filters', caller: admin, queries: await withPages(admin, typicalQueries()) },
      {
        name: 'admin, full text "sea view" + filters, by relevance',
        caller: admin,
        queries: await withPages(
          admin,
          typicalQueries().map((q) => `${q.replace('&sort=price_asc', '')}&q=sea%20view`),
        ),
      },
      {
        name: 'machine, signed caller straight to listings, same filters',
        caller: machine,
        queries: await withPages(machine, typicalQueries()),
      },
      {
        name: 'machine token via the gateway (whole book), same filters',
        caller: machine,
        queries: await withPages(machine, typicalQueries()),
        via: 'gateway',
      },
      {
        name: 'floor: bare node:http relay → bare node:http + pg, same',
        caller: machine,
        queries: await withPages(machine, typicalQueries()),
        via: 'floor',
      },
    ];

    console.log(`\n${ITERATIONS} sequential requests per path and scenario, interleaved in blocks of ${BLOCK}\n`);
    console.log('scenario'.padEnd(58), 'rows', '  HTTP p50', '  SQL p50', ' ratio', '  HTTP p99', '  SQL p99', ' ratio');
    const directBackend = Number((await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    const cpuLines: string[] = [];
    // BENCH_SCENARIOS=gateway,full: only the scenarios whose name contains one of the words.
    const only = process.env.BENCH_SCENARIOS?.split(',').filter(Boolean);
    for (const s of scenarios.filter((x) => !only || only.some((w) => x.name.includes(w)))) {
      const prepared = s.queries.map((qs) => ({ qs, ...searchSqlOf(s.caller, qs) }));
      let rows = 0;
      const http = async (i: number) => {
        const qs = prepared[i % prepared.length].qs;
        const res =
          s.via === 'gateway'
            ? await get(`${gatewayBase}/api/v1/listings?${qs}`, gatewayHeaders)
            : s.via === 'floor'
              ? await get(`${floorBase}/listings?${qs}`, {})
              : await get(`${base}/listings?${qs}`, headersOf(s.caller));
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body}`);
      };
      const sql = async (i: number) => {
        const p = prepared[i % prepared.length];
        rows += (await pool.query(p.sql, p.params)).rowCount ?? 0;
      };
      for (let i = 0; i < 200; i++) {
        await http(i);
        await sql(i);
      }
      rows = 0;
      const times = { http: [] as number[], sql: [] as number[] };
      // The services' backends (listings, and the gateway's, idle here): every backend of the scratch database but the direct path's.
      const serviceBackends = (
        await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')
      ).rows.map((r) => Number(r.pid));
      const own = { http: 0, sql: 0 };
      // The listings hop and the gateway hop of this scenario's HTTP path (the floor's: its stand-ins).
      const [listingsPid, gatewayPid] = s.via === 'floor' ? [floor.service.pid!, floor.relay.pid!] : [service.pid!, gateway.pid!];
      const before = { listings: cpuMs([listingsPid]), gateway: cpuMs([gatewayPid]), pgDirect: cpuMs([directBackend]) };
      const pgBefore = eachCpuMs(serviceBackends);
      for (let start = 0; start < ITERATIONS; start += BLOCK) {
        for (const [path, run] of [
          ['sql', sql],
          ['http', http],
        ] as const) {
          const c = ownCpuMs();
          for (let i = start; i < Math.min(start + BLOCK, ITERATIONS); i++) {
            const t = process.hrtime.bigint();
            await run(i);
            times[path].push(Number(process.hrtime.bigint() - t) / 1e6);
          }
          own[path] += ownCpuMs() - c;
        }
      }
      const after = { listings: cpuMs([listingsPid]), gateway: cpuMs([gatewayPid]), pgDirect: cpuMs([directBackend]) };
      const pgService = spent(pgBefore, eachCpuMs(serviceBackends));
      const us = (key: keyof typeof before | 'pgService') => {
        const [b, a] = key === 'pgService' ? [0, pgService] : [before[key], after[key]];
        return b === undefined || a === undefined ? '   ?' : String(Math.round(((a - b) * 1000) / ITERATIONS)).padStart(4);
      };
      cpuLines.push(
        `${s.name.padEnd(58)} listings ${us('listings')}  gateway ${us('gateway')}  PG ${us('pgService')}  client ${String(Math.round((own.http * 1000) / ITERATIONS)).padStart(4)}` +
          `   |   PG ${us('pgDirect')}  client ${String(Math.round((own.sql * 1000) / ITERATIONS)).padStart(4)}`,
      );
      const h = times.http.sort((a, b) => a - b);
      const q = times.sql.sort((a, b) => a - b);
      const [h50, q50, h99, q99] = [percentile(h, 50), percentile(q, 50), percentile(h, 99), percentile(q, 99)];
      const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
      console.log(
        s.name.padEnd(58),
        String(Math.round(rows / ITERATIONS)).padStart(4),
        ms(h50),
        ms(q50),
        `${(h50 / q50).toFixed(2)}×`.padStart(6),
        ms(h99),
        ms(q99),
        `${(h99 / q99).toFixed(2)}×`.padStart(6),
      );
    }
    console.log(
      '\nCPU per request (µs, user + system, from /proc; 10 ms ticks): HTTP path — processes (the floor: its stand-ins), their PostgreSQL backends, the bench client   |   SQL path',
    );
    for (const line of cpuLines) console.log(line);
    console.log('\nrows = rows per page returned by the SQL (limit + 1 when another page exists); goal: HTTP p99 ≤ 1.5 × SQL p99');
  } finally {
    floor?.relay.kill('SIGTERM');
    floor?.service.kill('SIGTERM');
    gateway?.kill('SIGTERM');
    await google?.close();
    service?.kill('SIGTERM');
    await pool.end();
    if (!process.env.BENCH_KEEP) await admin_((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
