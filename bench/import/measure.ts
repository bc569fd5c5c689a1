import { readFileSync } from 'node:fs';

/** What the importer's process (importer.ts) measured, sent to main.ts over IPC. */
export interface ImporterResult {
  summary: { created: number; updated: number; unchanged: number; rows: number; elapsedMs: number };
  cpuMs: number;
  backendCpuMs?: number;
  backendPids: number[];
  startRss: number;
  /** [ms since the import started, RSS, heapUsed (sampled every 100 ms)] every 20 ms. */
  samples: [number, number, number][];
  /** [ms since the import started, heapUsed] right after each mark-compact. */
  afterMajorGc: [number, number][];
  /** Pauses of the main thread by kind (time in the collector; concurrent marking is not counted). */
  gc: { scavenges: number; scavengeMs: number; fullGcs: number; fullGcMs: number };
  /** The kernel's high-water mark of this process's RSS (getrusage). */
  maxRss: number;
}

/**
 * CPU time (user + system, ms) of PostgreSQL backends, from /proc: only when the server runs on
 * this machine (undefined otherwise). Unlike elapsed time it barely moves with other work on the
 * machine, so it is the steadier figure when the two cores are shared.
 */
export function backendCpuMs(pids: number[]): number | undefined {
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
