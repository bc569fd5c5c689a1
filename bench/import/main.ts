import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { v7 as uuidv7 } from 'uuid';
import { Db, createDataSource, quoteIdent, runMigrations, withDatabase } from '@pace/database';
import { Outbox } from '@pace/events';
import { loadMapping, readCsvBatches } from '@pace/import';
import { adminDatabaseUrl } from '@pace/testing';
import { writeSample } from '../../scripts/sample-salesforce';
import { importApplicants } from '../../services/applicants/src/import/applicants.importer';
import { CONTACT_COLUMNS, prepareContact } from '../../services/applicants/src/import/contact.mapping';
import { applicantsService } from '../../services/applicants/src/service';

/**
 * bench/import: N generated Salesforce contacts (default 100000, all valid and distinct) imported
 * by the real importer (`importApplicants`: streaming parse, normalise, duplicate checks, bulk
 * upsert, timeline, audit, outbox events — one transaction per batch) into a fresh database, vs
 * PostgreSQL's `COPY … FROM STDIN` of the same rows, already normalised, into the same table of
 * another fresh database (same indexes and search-vector trigger), in one run. Prints rows/s of
 * both, the ratio (goal ≥ 0.3× COPY) and the importer's peak RSS growth (goal: flat — it must
 * not grow with N). BENCH_KEEP=1 keeps both databases. Usage: npm run build && node dist/bench/import/main.js [rows=100000]
 */
const N = Number(process.argv[2] ?? 100_000);
const adminUrl = process.env.BENCH_DATABASE_URL ?? adminDatabaseUrl();
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function freshDatabase(admin: Client, name: string): Promise<string> {
  await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  const url = withDatabase(adminUrl, name);
  const ds = createDataSource(applicantsService.db, url, 2);
  await ds.initialize();
  await runMigrations(ds);
  await ds.destroy();
  return url;
}

/**
 * CPU time (user + system, ms) of PostgreSQL backends, from /proc: only when the server runs on
 * this machine (undefined otherwise). Unlike elapsed time it barely moves with other work on the
 * machine, so it is the steadier figure when the two cores are shared.
 */
function backendCpuMs(pids: number[]): number | undefined {
  try {
    let ms = 0;
    for (const pid of pids) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    }
    return ms;
  } catch {
    return undefined;
  }
}

const COPY_COLUMNS = [
  'id', 'salesforce_id', 'import_hash', 'import_batch_id', 'version', 'first_name', 'last_name', 'phones', 'emails', 'source', 'status', 'lost_reason', 'owner_id',
  'preferred_language', 'nationality', 'whatsapp_opt_in', 'email_opt_in', 'intent', 'property_types', 'bedrooms_min', 'bedrooms_max', 'budget_min_fils',
  'budget_max_fils', 'communities', 'furnishing', 'move_in_date',
];
const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? `{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}` : String(v);
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The same rows, normalised by the same code, as a COPY csv file (prepared before the clock starts). */
async function copyFile(source: string, target: string): Promise<number> {
  const mapping = loadMapping(CONTACT_COLUMNS);
  const out = createWriteStream(target);
  const batchId = uuidv7();
  let rows = 0;
  for await (const batch of readCsvBatches(source, 1000)) {
    for (const row of batch.rows) {
      const { prepared } = prepareContact(mapping, row);
      if (!prepared) continue;
      const r = prepared.record;
      const values = [uuidv7(), prepared.salesforceId, prepared.hash, batchId, 1, r.firstName, r.lastName, r.phones, r.emails, r.source, r.status, r.lostReason, r.ownerId,
        r.preferredLanguage, r.nationality, r.whatsappOptIn, r.emailOptIn, r.intent, r.propertyTypes, r.bedroomsMin, r.bedroomsMax, r.budgetMinFils, r.budgetMaxFils,
        r.communities, r.furnishing, r.moveInDate];
      if (!out.write(values.map(csvCell).join(',') + '\n')) await once(out, 'drain');
      rows++;
    }
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pace-bench-import-'));
  const source = path.join(dir, 'contacts.csv');
  const copySource = path.join(dir, 'copy.csv');
  const suffix = randomBytes(3).toString('hex');
  const names = [`pace_bench_import_${suffix}`, `pace_bench_copy_${suffix}`];
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await writeSample('contacts', source, N, 42, true);
    const copyRows = await copyFile(source, copySource);
    console.log(`${N} contacts: ${mb(statSync(source).size)} of CSV; ${copyRows} valid rows`);
    const [importUrl, copyUrl] = [await freshDatabase(admin, names[0]), await freshDatabase(admin, names[1])];

    // COPY: the floor — no parsing, normalising, events, timeline or audit; one statement.
    const client = new Client({ connectionString: copyUrl });
    await client.connect();
    const copyPid = Number((await client.query(`SELECT pg_backend_pid() AS pid`)).rows[0].pid);
    const copyCpu0 = backendCpuMs([copyPid]);
    const c0 = process.hrtime.bigint();
    await pipeline(createReadStream(copySource), client.query(copyFrom(`COPY applicants.applicant (${COPY_COLUMNS.join(', ')}) FROM STDIN (FORMAT csv)`)));
    const copyMs = Number(process.hrtime.bigint() - c0) / 1e6;
    const copyCpu1 = backendCpuMs([copyPid]);
    const copied = Number((await client.query(`SELECT count(*) AS n FROM applicants.applicant`)).rows[0].n);
    await client.end();

    // The importer, as `npm run import` runs it (three connections), with RSS sampled every 20 ms.
    global.gc?.();
    const ds = createDataSource(applicantsService.db, importUrl, 3);
    await ds.initialize();
    const db = new Db(ds);
    // The pool's three connections, opened now so that their CPU before the import is known.
    const runners = [0, 1, 2].map(() => ds.createQueryRunner());
    const backendPids: number[] = [];
    for (const runner of runners) backendPids.push(Number(((await runner.query(`SELECT pg_backend_pid() AS pid`)) as { pid: number }[])[0].pid));
    for (const runner of runners) await runner.release();
    const importCpu0 = backendCpuMs(backendPids);
    const startRss = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    let peakRss = startRss;
    const samples: number[] = [];
    const sampler = setInterval(() => {
      const rss = process.memoryUsage().rss;
      samples.push(rss);
      if (rss > peakRss) peakRss = rss;
    }, 20);
    const { summary } = await importApplicants(db, new Outbox(db, 'applicants', ''), { file: source, out: process.stdout, progress: { tty: false, everyMs: 10_000 }, batchSize: Number(process.env.BENCH_BATCH ?? 1000) });
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpu0);
    const importCpu1 = backendCpuMs(backendPids);
    const livePids = ((await ds.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)) as { pid: number }[]).map((r) => Number(r.pid));
    const samePool = backendPids.every((pid) => livePids.includes(pid));
    const counts = (await ds.query(`SELECT (SELECT count(*) FROM applicants.applicant) AS a, (SELECT count(*) FROM applicants.outbox) AS o`)) as { a: string; o: string }[];
    await ds.destroy();

    const copyRate = copied / (copyMs / 1000);
    const importRate = summary.created / (summary.elapsedMs / 1000);
    const q = (f: number) => (samples.length ? [...samples].sort((a, b) => a - b)[Math.floor(samples.length * f)] : startRss);
    // In time order: flat memory means the last part of the run sits where the first did.
    const at = (f: number) => (samples.length ? samples[Math.min(samples.length - 1, Math.floor(samples.length * f))] : startRss);
    const window = (from: number, to: number) => Math.max(...samples.slice(Math.floor(samples.length * from), Math.max(Math.floor(samples.length * to), Math.floor(samples.length * from) + 1)));
    console.log('');
    console.log(`COPY      ${copied} rows in ${(copyMs / 1000).toFixed(2)} s: ${Math.round(copyRate)} rows/s`);
    console.log(`importer  ${summary.created} rows in ${(summary.elapsedMs / 1000).toFixed(2)} s: ${Math.round(importRate)} rows/s (+ ${counts[0].o} outbox events, timeline and audit rows)`);
    console.log(`          the importer's own CPU (parse, normalise, events): ${((cpu.user + cpu.system) / 1000 / summary.elapsedMs * 100).toFixed(0)}% of its elapsed time; the rest is waiting for PostgreSQL`);
    console.log(`ratio     importer / COPY = ${(importRate / copyRate).toFixed(2)}× (goal ≥ 0.30×)`);
    const nodeCpu = (cpu.user + cpu.system) / 1000;
    if (copyCpu0 !== undefined && copyCpu1 !== undefined && importCpu0 !== undefined && importCpu1 !== undefined && samePool) {
      const copyCpu = copyCpu1 - copyCpu0;
      const pgCpu = importCpu1 - importCpu0;
      console.log(
        `CPU       COPY: PostgreSQL ${(copyCpu / 1000).toFixed(2)} s; importer: Node ${(nodeCpu / 1000).toFixed(2)} s + PostgreSQL ${(pgCpu / 1000).toFixed(2)} s ` +
          `= ${((nodeCpu + pgCpu) / copyCpu).toFixed(2)}× COPY's CPU for the same rows (steadier than elapsed time on a shared machine)`,
      );
    }
    console.log(`memory    RSS at start ${mb(startRss)}, median during ${mb(q(0.5))}, peak ${mb(peakRss)}: growth ${mb(peakRss - startRss)} (goal: flat, independent of N)`);
    console.log(`          RSS peak in the first, middle and last tenth of the run: ${mb(window(0, 0.1))}, ${mb(window(0.45, 0.55))}, ${mb(window(0.9, 1))}; at 25/50/75%: ${mb(at(0.25))}, ${mb(at(0.5))}, ${mb(at(0.75))}`);
    if (Number(counts[0].a) !== summary.created) throw new Error(`expected ${summary.created} applicants, found ${counts[0].a}`);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept databases ${names.join(', ')}`);
    else for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
