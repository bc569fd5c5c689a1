import { v7 as uuidv7 } from 'uuid';
import { type CsvRow, fileSize, readCsvBatches, readCsvHeader } from './csv';
import { type Duplicate, ImportReport, type Problem } from './report';
import { Progress, type ProgressOptions } from './progress';
import type { Db } from '@pace/database';
import { SeenKeys } from './scratch';
import { endRunTurn, takeRunTurn } from './turn';

/**
 * Preparing a batch of thousands of rows is a long stretch of synchronous work; the batch being
 * committed meanwhile needs the event loop between its statements (to send the next one), and
 * would leave its backend idle until the stretch ends. Long loops let I/O through this often
 * (~2 ms of work; at 250 rows the import's event-loop delay p99 was 33 ms, at 50 rows 22–25 ms).
 */
export const YIELD_EVERY = 50;
export const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A batch could not be written: says which rows, and what of the file is already in. */
export class ImportBatchError extends Error {}

export interface Prepared<T> {
  row: number;
  salesforceId: string;
  record: T;
  /** Content hash of the normalised record: unchanged rows are recognised by it. */
  hash: string;
}

export interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  duplicates: Duplicate[];
}

export interface BatchInfo {
  id: string;
  entity: string;
  file: string;
  dryRun: boolean;
}

/** What an owning service provides to import one entity from a CSV export. */
export interface EntityImporter<T> {
  readonly entity: string;
  /** Checks the file's header against the mapping (throws ImportUsageError). */
  checkHeader(header: string[], file: string): void;
  /** Maps, normalises and validates one row. */
  prepare(row: CsvRow): { prepared?: Prepared<T>; problems: Problem[] };
  /** Called once before the first batch (an import records its batch; a dry run does nothing). */
  begin(batch: BatchInfo, seen: SeenKeys): Promise<void>;
  /**
   * Looks one batch up (known Ids, duplicates) and builds everything it will write, and returns
   * `commit`, which writes it in one transaction (records, events, audit) — a dry run's commit
   * writes nothing. The runner plans batch k+1 while batch k commits (on another connection), so
   * a plan must not rely on the previous batch being committed (use the SeenKeys for the file).
   */
  plan(rows: Prepared<T>[], batch: BatchInfo): Promise<() => Promise<BatchOutcome>>;
  /**
   * Refreshes the planner's statistics of the tables the import reads while it fills them (an
   * empty table's plan — a sequential scan — turns every duplicate lookup into a full scan).
   */
  analyze?(): Promise<void>;
  /** Called once after the last batch with the summary. */
  finish(batch: BatchInfo, summary: ImportSummary): Promise<void>;
}

export interface ImportOptions {
  file: string;
  dryRun?: boolean;
  batchSize?: number;
  /** Writes the validation and duplicates report (CSV) here. */
  reportFile?: string;
  progress?: ProgressOptions;
  /** Where the summary and report are printed; default stdout. Pass null to print nothing. */
  out?: NodeJS.WritableStream | null;
}

export interface ImportSummary {
  entity: string;
  batchId: string;
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicates: number;
  elapsedMs: number;
  rowsPerSecond: number;
}

export interface ImportResult {
  summary: ImportSummary;
  report: ImportReport;
}

export function summaryLines(s: ImportSummary): string[] {
  const verb = s.dryRun ? 'would be ' : '';
  return [
    `${s.dryRun ? 'Dry run (nothing written)' : 'Imported'} ${s.entity}: ${s.rows} rows in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.rowsPerSecond} rows/s)`,
    `  ${verb}created ${s.created}, ${verb}updated ${s.updated}, unchanged ${s.unchanged}, invalid ${s.invalid}, duplicates ${s.duplicates}`,
    `  batch ${s.batchId}${s.dryRun ? ' (dry run: not recorded)' : `  (undo: npm run import -- rollback --batch ${s.batchId})`}`,
  ];
}

/**
 * Streams the file through an importer: parse a batch, prepare its rows, skip rows that repeat an
 * earlier Salesforce Id of the file, plan the batch (look-ups, decisions, payloads) while the
 * previous one commits, then commit it (one transaction). At most three batches are in memory:
 * the one read ahead, the one planned, the one committing.
 */
export async function runImport<T>(importer: EntityImporter<T>, db: Db, options: ImportOptions): Promise<ImportResult> {
  // Three connections: the session of the scratch keys, the batch being committed, the next
  // batch's look-ups.
  const poolSize = Number((db.dataSource.options as { extra?: { max?: number } }).extra?.max ?? 10);
  if (poolSize < 3) throw new Error(`the import needs a pool of at least 3 connections (has ${poolSize})`);
  const session = db.dataSource.createQueryRunner();
  await session.connect();
  const query = (sql: string, p?: unknown[]) => session.query(sql, p) as Promise<unknown[]>;
  let locked = false;
  try {
    // One import of an entity at a time (`turn.ts`); dry runs write nothing and need no turn.
    if (!options.dryRun) {
      await takeRunTurn(query, importer.entity);
      locked = true;
    }
    return await runWith(importer, new SeenKeys(query), options);
  } finally {
    if (locked) await endRunTurn(query, importer.entity).catch(() => undefined);
    await session.release();
  }
}

async function runWith<T>(importer: EntityImporter<T>, seen: SeenKeys, options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const out = options.out === undefined ? process.stdout : options.out;
  const total = fileSize(options.file);
  importer.checkHeader(await readCsvHeader(options.file), options.file);
  const batch: BatchInfo = { id: uuidv7(), entity: importer.entity, file: options.file, dryRun: Boolean(options.dryRun) };
  const report = new ImportReport(options.reportFile);
  const counts = { rows: 0, created: 0, updated: 0, unchanged: 0 };
  let written = 0;
  let inFlight: Promise<BatchOutcome> | undefined;
  let lastBytes = 0;
  const settle = (outcome: BatchOutcome) => {
    counts.created += outcome.created;
    counts.updated += outcome.updated;
    counts.unchanged += outcome.unchanged;
    for (const d of outcome.duplicates) report.duplicate(d);
    progress?.update(lastBytes, counts.rows);
  };
  await seen.init();
  await importer.begin(batch, seen);
  const progress = out ? new Progress(total, { out, label: `${importer.entity}${batch.dryRun ? ' (dry run)' : ''}`, ...options.progress }) : undefined;
  // One batch read ahead: the next batch is parsed and prepared while the database writes this one.
  const batches = readCsvBatches(options.file, options.batchSize ?? 1000)[Symbol.asyncIterator]();
  try {
    let next = batches.next();
    for (;;) {
      const step = await next;
      if (step.done) break;
      const chunk = step.value;
      const ready: Prepared<T>[] = [];
      for (let i = 0; i < chunk.rows.length; i++) {
        const result = importer.prepare(chunk.rows[i]);
        report.add(result.problems);
        if (result.prepared) ready.push(result.prepared);
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToIo();
      }
      next = batches.next();
      // A read error surfaces when the next batch is awaited; do not let it go unhandled meanwhile.
      next.catch(() => undefined);
      const earlier = await seen.claim(ready.map((p) => ({ kind: 'id', key: p.salesforceId, row: p.row, ref: p.salesforceId })));
      const unique = ready.filter((p, i) => {
        const first = earlier[i];
        if (first) report.add([{ row: p.row, column: 'Id', severity: 'error', problem: `Salesforce Id ${p.salesforceId} repeats row ${first.row}; only the first is imported` }]);
        return !first;
      });
      const range = `${chunk.rows[0].row}–${chunk.rows[chunk.rows.length - 1].row}`;
      const commit = unique.length ? await importer.plan(unique, batch) : async () => ({ created: 0, updated: 0, unchanged: 0, duplicates: [] });
      // The previous batch has been committing meanwhile; this one starts when it is in.
      if (inFlight) settle(await inFlight);
      inFlight = commit().catch((error: unknown) => {
        const done = batch.dryRun ? '' : ` Rows before ${range.split('–')[0]} are committed; undo them with: npm run import -- rollback --batch ${batch.id}`;
        throw new ImportBatchError(`writing rows ${range} of ${options.file} failed (nothing of these rows was written): ${(error as Error).message}.${done}`, { cause: error });
      });
      inFlight.catch(() => undefined);
      counts.rows += chunk.rows.length;
      lastBytes = chunk.bytesRead;
      written++;
      // After batches 1, 4, 16, 64, …: a handful of ANALYZEs, however large the file.
      if ((written & (written - 1)) === 0 && Math.log2(written) % 2 === 0) {
        await seen.analyze();
        await importer.analyze?.();
      }
    }
    if (inFlight) settle(await inFlight);
  } finally {
    // Closes the file when the import stopped early (a failed batch).
    void batches.return(undefined).catch(() => undefined);
    progress?.stop();
    await report.close();
  }
  const elapsedMs = Date.now() - started;
  const summary: ImportSummary = {
    entity: importer.entity,
    batchId: batch.id,
    dryRun: batch.dryRun,
    ...counts,
    invalid: report.invalidRows,
    duplicates: report.duplicateCount,
    elapsedMs,
    rowsPerSecond: Math.round(counts.rows / Math.max(elapsedMs / 1000, 0.001)),
  };
  await importer.finish(batch, summary);
  if (out) {
    for (const line of [...report.lines(), ...summaryLines(summary)]) out.write(line + '\n');
    if (options.reportFile) out.write(`  report written to ${options.reportFile}\n`);
  }
  return { summary, report };
}
