import { createReadStream, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import { CsvRecords, CsvSyntaxError } from './csv-records';
import { ImportUsageError } from './errors';

export interface CsvRow {
  /** The spreadsheet row number (the header is row 1), as people find it in Excel. */
  row: number;
  values: Record<string, string>;
}

export interface CsvBatch {
  rows: CsvRow[];
  /** Bytes of the file read so far (progress and ETA are measured in bytes: no pre-count). */
  bytesRead: number;
}

export function fileSize(file: string): number {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new ImportUsageError(`${file} is not a file`);
    return stat.size;
  } catch (error) {
    if (error instanceof ImportUsageError) throw error;
    throw new ImportUsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * Streams a CSV export in batches of `batchSize` records. The caller awaits each batch before the
 * next is parsed: async iteration pauses the file stream (backpressure), so memory stays flat
 * whatever the file size. Salesforce exports are UTF-8 with a BOM, quoted, CRLF. Records are
 * read by CsvRecords (csv-parse's reading, at a fraction of its cost); a record with fewer
 * fields than the header lacks the rest, extra fields are dropped, a repeated column name's last
 * value wins — as csv-parse's `columns` did.
 */
export async function* readCsvBatches(file: string, batchSize: number): AsyncGenerator<CsvBatch> {
  fileSize(file);
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  const decoder = new StringDecoder('utf8');
  const reader = new CsvRecords();
  let header: string[] | undefined;
  let rows: CsvRow[] = [];
  let index = 0;
  try {
    const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    for (;;) {
      let records: string[][];
      let done = false;
      try {
        const step = await chunks.next();
        done = Boolean(step.done);
        records = reader.push(done ? decoder.end() : decoder.write(step.value), done);
      } catch (error) {
        // Records of this chunk before the problem were read but not yet counted.
        const before = error instanceof CsvSyntaxError ? error.recordsBefore - (header ? 0 : 1) : 0;
        throw new ImportUsageError(`${file} is not a readable CSV file near record ${index + 2 + Math.max(before, 0)}: ${(error as Error).message}`);
      }
      for (const fields of records) {
        if (!header) {
          header = fields.map((h) => h.trim());
          continue;
        }
        const values: Record<string, string> = {};
        for (let k = 0; k < fields.length && k < header.length; k++) values[header[k]] = fields[k];
        rows.push({ row: index + 2, values });
        index++;
        if (rows.length >= batchSize) {
          yield { rows, bytesRead: input.bytesRead };
          rows = [];
        }
      }
      if (done) break;
    }
  } finally {
    input.destroy();
  }
  if (rows.length) yield { rows, bytesRead: input.bytesRead };
}

/** The header row alone (to check a mapping against the file before importing). */
export async function readCsvHeader(file: string): Promise<string[]> {
  fileSize(file);
  const input = createReadStream(file, { highWaterMark: 64 * 1024 });
  const parser = input.pipe(parse({ to_line: 1, bom: true }));
  try {
    for await (const header of parser as AsyncIterable<string[]>) return header.map((h) => h.trim());
    return [];
  } finally {
    input.destroy();
  }
}
