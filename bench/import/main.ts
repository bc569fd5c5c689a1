import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { v7 as uuidv7 } from 'uuid';
import { createDataSource, quoteIdent, runMigrations, withDatabase } from '@pace/database';
import { loadMapping, readCsvBatches } from '@pace/import';
import { adminDatabaseUrl } from '@pace/testing';
import { writeSample } from '../../scripts/sample-salesforce';
import { CONTACT_COLUMNS, prepareContact } from '../../services/applicants/src/import/contact.mapping';
import { applicantsService } from '../../services/applicants/src/service';
import { cpuMs } from '../proc';
import type { ImporterResult } from './measure';

/**
 * bench/import: N generated Salesforce contacts (default 100000, all valid and distinct) imported
 * by the real importer (`importApplicants`: streaming parse, normalise, duplicate checks, bulk
 * upsert, timeline, audit, outbox events — each batch committed as a whole) into a fresh database,
 * vs PostgreSQL's `COPY … FROM STDIN` of the same rows, already normalised, into the same table of
 * another fresh database (same indexes and search-vector trigger), in one run; COPY is timed before
 * the importer and again after it (the table emptied), and their mean is the baseline. The importer runs
 * in a process of its own (importer.ts), as `npm run import` runs it, so its memory is its own:
 * this process generates the CSV and holds the COPY baseline. Prints rows/s of both, the ratio
 * (goal ≥ 0.3× COPY), CPU per row, and the importer's RSS and V8 heap (goal: flat — it must not
 * grow with N). BENCH_KEEP=1 keeps both databases; BENCH_BATCH sets the batch size;
 * BENCH_MEMORY=10000,50000,100000,200000 runs only the importer at each size and prints its memory;
 * BENCH_STATEMENTS=1 prints the backend CPU of each statement; BENCH_NODE_ARGS passes flags to the
 * importer's node (e.g. --cpu-prof). Usage: npm run build && node dist/bench/import/main.js [rows=100000]
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

/** Runs the importer in its own process (importer.ts) and returns what it measured. */
async function runImporter(url: string, file: string): Promise<ImporterResult> {
  const child = fork(path.join(__dirname, 'importer.js'), [], {
    env: { ...process.env, BENCH_IMPORT_URL: url, BENCH_IMPORT_FILE: file },
    execArgv: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
  });
  return new Promise<ImporterResult>((resolve, reject) => {
    let result: ImporterResult | undefined;
    child.on('message', (m: { result?: ImporterResult }) => (result = m.result ?? result));
    child.once('error', reject);
    child.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the importer process exited (${code})${result ? '' : ' without a result'}`))));
  });
}

/** Memory of one import run, from the child's samples: peaks per stretch of the run. */
function memoryFigures(r: ImporterResult) {
  const s = r.samples;
  const end = s.length ? s[s.length - 1][0] : 0;
  const peak = (i: 1 | 2, from: number, to: number) => Math.max(0, ...s.filter(([t]) => t >= from * end && t <= to * end).map((x) => x[i]));
  const gc = r.afterMajorGc;
  return {
    peakRss: peak(1, 0, 1),
    peakHeap: peak(2, 0, 1),
    rssTenths: [peak(1, 0, 0.1), peak(1, 0.45, 0.55), peak(1, 0.9, 1)],
    heapTenths: [peak(2, 0, 0.1), peak(2, 0.45, 0.55), peak(2, 0.9, 1)],
    // Live heap after a full collection, in the first and second half of the run (growth = a leak).
    liveFirstHalf: Math.max(0, ...gc.filter(([t]) => t < end / 2).map((x) => x[1])),
    liveSecondHalf: Math.max(0, ...gc.filter(([t]) => t >= end / 2).map((x) => x[1])),
    majorGcs: gc.length,
  };
}

/**
 * BENCH_MEMORY=10000,50000,100000,200000: the importer alone (no COPY) at each size, each into a
 * fresh database in a process of its own; prints its peak RSS and V8 heap and the heap live after
 * full collections. Flat means the same at every size.
 */
async function memoryMode(sizes: number[]): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pace-bench-import-'));
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const rows: string[] = [];
  try {
    for (const n of sizes) {
      const source = path.join(dir, `contacts-${n}.csv`);
      await writeSample('contacts', source, n, 42, true);
      const name = `pace_bench_import_${randomBytes(3).toString('hex')}`;
      try {
        const url = await freshDatabase(admin, name);
        const r = await runImporter(url, source);
        const f = memoryFigures(r);
        const rate = r.summary.created / (r.summary.elapsedMs / 1000);
        rows.push(
          `${String(n).padStart(7)} rows  ${Math.round(rate).toString().padStart(5)} rows/s  CPU ${((r.cpuMs / r.summary.created) * 1000).toFixed(0)} µs/row Node` +
            `${r.backendCpuMs === undefined ? '' : ` + ${((r.backendCpuMs / r.summary.created) * 1000).toFixed(0)} µs/row PostgreSQL`}  ` +
            `RSS start ${mb(r.startRss)} peak ${mb(f.peakRss)} (first/middle/last tenth ${f.rssTenths.map(mb).join(' / ')}; kernel max ${mb(r.maxRss)})  ` +
            `heap peak ${mb(f.peakHeap)} (${f.heapTenths.map(mb).join(' / ')}); live after full GC ≤ ${mb(f.liveFirstHalf)} first half, ≤ ${mb(f.liveSecondHalf)} second half (${f.majorGcs} full GCs); GC pauses ${((r.gc.scavengeMs + r.gc.fullGcMs) / 1000).toFixed(2)} s`,
        );
        console.log(rows[rows.length - 1]);
      } finally {
        if (process.env.BENCH_KEEP) console.log(`kept database ${name}`);
        else await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        rmSync(source, { force: true });
      }
    }
  } finally {
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\nmemory of the importer process by file size (goal: flat)');
  for (const line of rows) console.log(line);
}

async function main(): Promise<void> {
  if (process.env.BENCH_MEMORY) return memoryMode(process.env.BENCH_MEMORY.split(',').map(Number));
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

    // COPY: the floor — no parsing, normalising, events, timeline or audit; one statement. Timed
    // before the importer and again after it (into the emptied table): a machine whose speed
    // drifts during the run weighs on the baseline as on the importer, and one 5-second window
    // caught by a hiccup does not decide the ratio alone.
    const copyOnce = async (empty: boolean) => {
      const client = new Client({ connectionString: copyUrl });
      await client.connect();
      try {
        if (empty) await client.query(`TRUNCATE applicants.applicant CASCADE`);
        const pid = Number((await client.query(`SELECT pg_backend_pid() AS pid`)).rows[0].pid);
        const cpu0 = cpuMs([pid]);
        const t0 = process.hrtime.bigint();
        await pipeline(createReadStream(copySource), client.query(copyFrom(`COPY applicants.applicant (${COPY_COLUMNS.join(', ')}) FROM STDIN (FORMAT csv)`)));
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const cpu1 = cpuMs([pid]);
        const rows = Number((await client.query(`SELECT count(*) AS n FROM applicants.applicant`)).rows[0].n);
        return { ms, rows, cpu: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
      } finally {
        await client.end();
      }
    };
    // Each timed phase starts just after a checkpoint: the WAL of the first change to a page after
    // one carries the whole page, and a 5-second COPY that a checkpoint (the importer's WAL sets
    // them off) happens to fall into writes far more of it than one that misses them.
    const checkpoint = () => admin.query('CHECKPOINT').catch((error: Error) => console.log(`(no CHECKPOINT before the phase: ${error.message})`));
    await checkpoint();
    const copyBefore = await copyOnce(false);
    await checkpoint();

    // The importer, as `npm run import` runs it: a process of its own with a pool of three
    // connections, sampling its own RSS and heap every 20 ms.
    const r = await runImporter(importUrl, source);
    const { summary } = r;
    const check = new Client({ connectionString: importUrl });
    await check.connect();
    const counts = (await check.query(`SELECT (SELECT count(*) FROM applicants.applicant) AS a, (SELECT count(*) FROM applicants.outbox) AS o`)).rows as { a: string; o: string }[];
    await check.end();
    await checkpoint();
    const copyAfter = await copyOnce(true);
    const copied = copyBefore.rows;
    if (copyAfter.rows !== copied) throw new Error(`COPY wrote ${copied} rows before the importer and ${copyAfter.rows} after`);
    const copyMs = (copyBefore.ms + copyAfter.ms) / 2;
    const copyCpu = copyBefore.cpu === undefined || copyAfter.cpu === undefined ? undefined : (copyBefore.cpu + copyAfter.cpu) / 2;

    const copyRate = copied / (copyMs / 1000);
    const importRate = summary.created / (summary.elapsedMs / 1000);
    const f = memoryFigures(r);
    console.log('');
    console.log(`COPY      ${copied} rows in ${(copyMs / 1000).toFixed(2)} s: ${Math.round(copyRate)} rows/s (mean of ${(copyBefore.ms / 1000).toFixed(2)} s before the importer and ${(copyAfter.ms / 1000).toFixed(2)} s after)`);
    console.log(`importer  ${summary.created} rows in ${(summary.elapsedMs / 1000).toFixed(2)} s: ${Math.round(importRate)} rows/s (+ ${counts[0].o} outbox events, timeline and audit rows)`);
    console.log(`          the importer's own CPU (parse, normalise, events): ${(r.cpuMs / summary.elapsedMs * 100).toFixed(0)}% of its elapsed time; the rest is waiting for PostgreSQL`);
    console.log(`ratio     importer / COPY = ${(importRate / copyRate).toFixed(2)}× (goal ≥ 0.30×)`);
    if (copyCpu !== undefined && r.backendCpuMs !== undefined) {
      const pgCpu = r.backendCpuMs;
      const perRow = (ms: number) => `${((ms / summary.created) * 1000).toFixed(0)} µs/row`;
      console.log(
        `CPU       COPY: PostgreSQL ${(copyCpu / 1000).toFixed(2)} s (${perRow(copyCpu)}); importer: Node ${(r.cpuMs / 1000).toFixed(2)} s (${perRow(r.cpuMs)}) + PostgreSQL ${(pgCpu / 1000).toFixed(2)} s (${perRow(pgCpu)}) ` +
          `= ${((r.cpuMs + pgCpu) / copyCpu).toFixed(2)}× COPY's CPU for the same rows (steadier than elapsed time on a shared machine)`,
      );
    }
    console.log(`memory    importer process: RSS at start ${mb(r.startRss)}, peak ${mb(f.peakRss)} (kernel max ${mb(r.maxRss)}); V8 heap used peak ${mb(f.peakHeap)} (goal: flat, independent of N)`);
    console.log(`          peak in the first, middle and last tenth of the run: RSS ${f.rssTenths.map(mb).join(', ')}; heap ${f.heapTenths.map(mb).join(', ')}`);
    console.log(`          heap live after a full GC: ≤ ${mb(f.liveFirstHalf)} in the first half, ≤ ${mb(f.liveSecondHalf)} in the second`);
    console.log(`          GC pauses: ${r.gc.scavenges} scavenges ${(r.gc.scavengeMs / 1000).toFixed(2)} s, ${r.gc.fullGcs} full ${(r.gc.fullGcMs / 1000).toFixed(2)} s`);
    const loop = r.eventLoop;
    console.log(`event loop main thread busy ${Math.round(loop.busy * 100)}% of the import; delay p50 ${loop.p50Ms.toFixed(1)} ms, p99 ${loop.p99Ms.toFixed(1)} ms, max ${loop.maxMs.toFixed(0)} ms`);
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
