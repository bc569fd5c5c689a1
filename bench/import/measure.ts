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
  /** The main thread: share of the import it was busy, and its event loop's delays (ms). */
  eventLoop: { busy: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** The kernel's high-water mark of this process's RSS (getrusage). */
  maxRss: number;
}
