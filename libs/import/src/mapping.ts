import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CsvRow } from './csv';
import { ImportUsageError } from './errors';
import type { Result } from './normalise';
import type { Problem } from './report';

/** Our field → the export's column(s), first non-empty wins (e.g. phones: Phone, MobilePhone). */
export type ColumnMapping = Record<string, string[]>;

export interface Mapping {
  columns: ColumnMapping;
  /** Salesforce user id (OwnerId) → PACE user id (the gateway's), for the record's agent. */
  owners: Record<string, string>;
}

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a PACE user id (UUID)');
const mappingFile = z
  .object({
    columns: z.record(z.string(), z.union([z.string().min(1), z.array(z.string().min(1)).min(1), z.null()])).optional(),
    owners: z.record(z.string(), uuid).optional(),
  })
  .strict();

/**
 * The default mapping with a `--mapping map.json` laid over it: `{"columns": {"phones":
 * ["Phone", "Mobile__c"], "nationality": null}, "owners": {"0055g00000AbCdEAAV": "<uuid>"}}`.
 * A field set to null is not imported. Any mistake is one ImportUsageError naming every problem.
 */
export function loadMapping(defaults: ColumnMapping, file?: string): Mapping {
  if (!file) return { columns: { ...defaults }, owners: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportUsageError(`mapping ${file}: ${code ? `cannot read it (${code})` : `not JSON (${(error as Error).message})`}`);
  }
  const parsed = mappingFile.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  const columns = { ...defaults };
  const given = (raw && typeof raw === 'object' ? (raw as { columns?: unknown }).columns : undefined) ?? {};
  for (const field of typeof given === 'object' ? Object.keys(given as object) : []) {
    if (!(field in defaults)) problems.push(`columns.${field}: not a field of this entity (known: ${Object.keys(defaults).join(', ')})`);
  }
  for (const [field, value] of Object.entries(parsed.success ? (parsed.data.columns ?? {}) : {})) {
    if (!(field in defaults)) continue;
    columns[field] = value === null ? [] : Array.isArray(value) ? value : [value];
  }
  if (problems.length) throw new ImportUsageError(`mapping ${file} is invalid:\n  ${problems.join('\n  ')}`);
  return { columns, owners: parsed.success ? (parsed.data.owners ?? {}) : {} };
}

/** Fails (usage error) when a required field has none of its columns in the file's header. */
export function checkHeader(mapping: Mapping, header: string[], required: string[], file: string): void {
  const present = new Set(header);
  const missing = required.filter((f) => !(mapping.columns[f] ?? []).some((c) => present.has(c)));
  if (missing.length) {
    throw new ImportUsageError(
      `${file} lacks the column(s) for ${missing.map((f) => `${f} (${(mapping.columns[f] ?? []).join(' or ') || 'unmapped'})`).join(', ')}; ` +
        `its header is: ${header.join(', ')}. Map them with --mapping.`,
    );
  }
}

/** A row read through the mapping: the value of a field, and the column it came from (for reports). */
export class MappedRow {
  constructor(
    private readonly mapping: Mapping,
    readonly values: Record<string, string>,
  ) {}

  get(field: string): string | undefined {
    for (const c of this.mapping.columns[field] ?? []) {
      const v = this.values[c];
      if (v !== undefined && v.trim() !== '') return v;
    }
    return undefined;
  }

  /** Every non-empty value of the field's columns (phones from Phone and MobilePhone). */
  all(field: string): { column: string; value: string }[] {
    return (this.mapping.columns[field] ?? []).flatMap((c) => (this.values[c] !== undefined && this.values[c].trim() !== '' ? [{ column: c, value: this.values[c] }] : []));
  }

  column(field: string): string {
    const columns = this.mapping.columns[field] ?? [];
    return columns.find((c) => this.values[c] !== undefined && this.values[c].trim() !== '') ?? columns[0] ?? field;
  }

  owner(): string | undefined {
    const sf = this.get('ownerId');
    return sf ? this.mapping.owners[sf.trim()] : undefined;
  }
}

/**
 * A row being prepared: its mapped values and the problems found so far, each reported with the
 * row number and the source column the value came from.
 */
export class CheckedRow {
  readonly row: MappedRow;
  readonly problems: Problem[] = [];

  constructor(
    mapping: Mapping,
    private readonly csv: CsvRow,
  ) {
    this.row = new MappedRow(mapping, csv.values);
  }

  readonly error = (field: string, problem: string) => this.problems.push({ row: this.csv.row, column: this.row.column(field), problem, severity: 'error' });
  readonly warn = (field: string, problem: string) => this.problems.push({ row: this.csv.row, column: this.row.column(field), problem, severity: 'warning' });

  /** A normaliser's value, or null with its problem recorded (a warning unless said). */
  readonly cell = <T>(field: string, result: Result<T | null>, severity: 'error' | 'warning' = 'warning'): T | null => {
    if ('problem' in result) {
      (severity === 'error' ? this.error : this.warn)(field, result.problem);
      return null;
    }
    return result.value;
  };
}
