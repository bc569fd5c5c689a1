import { type WriteStream, createWriteStream } from 'node:fs';

/**
 * A cell that cannot be imported. An `error` skips the row (counted invalid); a `warning` drops
 * the cell and imports the rest (a bad move-in date should not lose the contact).
 */
export interface Problem {
  row: number;
  column: string;
  problem: string;
  severity: 'error' | 'warning';
}

/** A row whose person (normalised phone or email) is already another row or an applicant. */
export interface Duplicate {
  row: number;
  salesforceId: string;
  /** e.g. `phone +971501234567` */
  matchedOn: string;
  /** e.g. `row 12 (003…)` or `applicant 0190…` */
  duplicateOf: string;
  /** What the import did (or would do): `linked to applicant …`. */
  outcome: string;
}

const MAX_KEPT = 2_000;
const csv = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/**
 * Validation and duplicates reports. Lines stream to the report file as they are found (so a bad
 * file of a million rows does not grow memory); the first couple of thousand are also kept for the
 * printed report and for callers (tests) that inspect them.
 */
export class ImportReport {
  readonly problems: Problem[] = [];
  readonly duplicates: Duplicate[] = [];
  invalidRows = 0;
  problemCount = 0;
  duplicateCount = 0;
  private readonly file?: WriteStream;

  constructor(path?: string) {
    if (path) {
      this.file = createWriteStream(path);
      this.file.write('kind,row,column,problem,salesforce_id,duplicate_of,outcome\n');
    }
  }

  /** Problems of one row. */
  add(problems: Problem[]): void {
    if (!problems.length) return;
    if (problems.some((p) => p.severity === 'error')) this.invalidRows++;
    for (const p of problems) {
      this.problemCount++;
      if (this.problems.length < MAX_KEPT) this.problems.push(p);
      this.file?.write([p.severity, p.row, p.column, p.problem, '', '', ''].map(csv).join(',') + '\n');
    }
  }

  duplicate(d: Duplicate): void {
    this.duplicateCount++;
    if (this.duplicates.length < MAX_KEPT) this.duplicates.push(d);
    this.file?.write(['duplicate', d.row, d.matchedOn.split(' ')[0], `same ${d.matchedOn}`, d.salesforceId, d.duplicateOf, d.outcome].map(csv).join(',') + '\n');
  }

  async close(): Promise<void> {
    if (this.file) await new Promise<void>((resolve, reject) => this.file!.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }

  /** Human-readable, for the terminal. */
  lines(limit = 200): string[] {
    const out: string[] = [];
    if (this.problemCount) {
      out.push(`Validation: ${this.problemCount} problem(s); ${this.invalidRows} row(s) skipped (row, column, problem):`);
      for (const p of this.problems.slice(0, limit)) out.push(`  row ${p.row}  ${p.column}  ${p.problem}${p.severity === 'warning' ? ' (cell skipped, row imported)' : ' (row skipped)'}`);
      if (this.problemCount > limit) out.push(`  … ${this.problemCount - limit} more${this.file ? ' in the report file' : ' (write them all with --report file.csv)'}`);
    }
    if (this.duplicateCount) {
      out.push(`Duplicates: ${this.duplicateCount} row(s) share a phone or email with another row or an existing applicant:`);
      for (const d of this.duplicates.slice(0, limit)) out.push(`  row ${d.row}  ${d.salesforceId}  same ${d.matchedOn} as ${d.duplicateOf} → ${d.outcome}`);
      if (this.duplicateCount > limit) out.push(`  … ${this.duplicateCount - limit} more`);
    }
    return out;
  }
}
