import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { Client } from 'pg';
import { Db, createDataSource } from '@pace/database';
import { Outbox } from '@pace/events';
import { importApplicants } from '../../services/applicants/src/import/applicants.importer';
import { applicantsService } from '../../services/applicants/src/service';
import { cpuMs } from '../proc';
import type { ImporterResult } from './measure';

/**
 * The importer of bench/import in a process of its own, as `npm run import` runs it (a pool of
 * three connections, `importApplicants`, nothing else in the process): its memory is the
 * importer's alone, not mixed with the bench's CSV generation and COPY baseline. main.ts forks it
 * with BENCH_IMPORT_URL, BENCH_IMPORT_FILE and BENCH_BATCH, and gets one `result` message back:
 * the summary, this process's CPU over the import, its PostgreSQL backends' CPU (from /proc), and
 * memory samples taken every 20 ms over the import — RSS, V8 heap used, and the heap left live
 * after each full (mark-compact) collection, which is what grows when something leaks.
 */
/** A backend's CPU time in ns (/proc/<pid>/schedstat: exact, where /proc/<pid>/stat counts 10 ms ticks). */
const backendNs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);

/**
 * BENCH_STATEMENTS=1: every statement's backend CPU and elapsed time, summed by statement (its
 * first words), printed at the end. Each of the import's connections runs one statement at a time,
 * so its backend's CPU over the statement is the statement's.
 */
function traceStatements(): () => string[] {
  const byStatement = new Map<string, { n: number; cpuNs: number; ms: number }>();
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (this: Client & { processID?: number }, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '?');
    const pid = this.processID;
    if (!pid || typeof args[args.length - 1] === 'function') return query.apply(this, args);
    const cpu0 = backendNs(pid);
    const t0 = performance.now();
    const done = () => {
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
      const s = byStatement.get(key) ?? { n: 0, cpuNs: 0, ms: 0 };
      s.n++;
      s.cpuNs += backendNs(pid) - cpu0;
      s.ms += performance.now() - t0;
      byStatement.set(key, s);
    };
    const result = query.apply(this, args) as Promise<unknown>;
    result.then(done, done);
    return result;
  } as typeof Client.prototype.query;
  return () =>
    [...byStatement]
      .sort((a, b) => b[1].cpuNs - a[1].cpuNs)
      .map(([k, s]) => `${String(s.n).padStart(6)} × ${(s.cpuNs / 1e6).toFixed(0).padStart(6)} ms CPU ${s.ms.toFixed(0).padStart(7)} ms elapsed  ${k}`);
}

async function main(): Promise<void> {
  const statements = process.env.BENCH_STATEMENTS ? traceStatements() : undefined;
  const dataSource = createDataSource(applicantsService.db, process.env.BENCH_IMPORT_URL!, 3);
  await dataSource.initialize();
  const db = new Db(dataSource);
  // The pool's three connections, opened now so that their CPU before the import is known.
  const runners = [0, 1, 2].map(() => dataSource.createQueryRunner());
  const backendPids: number[] = [];
  for (const runner of runners) backendPids.push(Number(((await runner.query(`SELECT pg_backend_pid() AS pid`)) as { pid: number }[])[0].pid));
  for (const runner of runners) await runner.release();

  const t0 = performance.now();
  const samples: [number, number, number][] = [];
  const afterMajorGc: [number, number][] = [];
  const gc = { scavenges: 0, scavengeMs: 0, fullGcs: 0, fullGcMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        afterMajorGc.push([Math.round(performance.now() - t0), process.memoryUsage().heapUsed]);
        gc.fullGcs++;
        gc.fullGcMs += entry.duration;
      } else {
        gc.scavenges++;
        gc.scavengeMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const startRss = process.memoryUsage.rss();
  const backend0 = cpuMs(backendPids);
  const cpu0 = process.cpuUsage();
  // How busy the main thread was, and its longest stretches without a turn for I/O (a batch
  // committing waits for the event loop between its statements).
  const elu0 = performance.eventLoopUtilization();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // RSS every 20 ms (cheap); the heap every 100 ms (process.memoryUsage() walks V8's spaces).
  let ticks = 0;
  let heapUsed = 0;
  const sampler = setInterval(() => {
    if (ticks++ % 5 === 0) heapUsed = process.memoryUsage().heapUsed;
    samples.push([Math.round(performance.now() - t0), process.memoryUsage.rss(), heapUsed]);
  }, 20);
  // BENCH_SNAPSHOT_MS=<ms>: a heap snapshot that far into the import (what the importer holds).
  if (process.env.BENCH_SNAPSHOT_MS) setTimeout(() => console.log(`heap snapshot ${writeHeapSnapshot()}`), Number(process.env.BENCH_SNAPSHOT_MS)).unref();
  const { summary } = await importApplicants(db, new Outbox(db, 'applicants', ''), {
    file: process.env.BENCH_IMPORT_FILE!,
    out: process.stdout,
    progress: { tty: false, everyMs: 10_000 },
    batchSize: Number(process.env.BENCH_BATCH ?? 1000),
  });
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  delay.disable();
  const eventLoop = { busy: performance.eventLoopUtilization(elu0).utilization, p50Ms: delay.percentile(50) / 1e6, p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 };
  const backend1 = cpuMs(backendPids);
  observer.disconnect();
  const live = ((await dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)) as { pid: number }[]).map((r) => Number(r.pid));
  const samePool = backendPids.every((pid) => live.includes(pid));
  await dataSource.destroy();
  if (statements) console.log(['backend CPU and elapsed time by statement:', ...statements()].join('\n'));
  const result: ImporterResult = {
    summary,
    cpuMs: (cpu.user + cpu.system) / 1000,
    backendCpuMs: backend0 !== undefined && backend1 !== undefined && samePool ? backend1 - backend0 : undefined,
    backendPids,
    startRss,
    samples,
    afterMajorGc,
    gc,
    eventLoop,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  await new Promise<void>((resolve, reject) => process.send!({ result }, (error: Error | null) => (error ? reject(error) : resolve())));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
