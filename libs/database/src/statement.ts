/**
 * The parameters of one SQL statement that several repositories write parts of: each part asks
 * for its values' placeholders here, so the parts can be joined into one statement in any order.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder (`$n`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A repository's insert of rows that hang off others written in the same statement (an import's
 * timeline entries, audit rows and events of the applicants it creates). `sql` is a data-modifying
 * statement, run as a CTE of the owner's statement, that keeps only the rows whose key is in
 * `keep` (a sub-select of ids, as text); `select` is an expression for the statement's result
 * list, for what must run once after the rows are in (the outbox's notify).
 */
export interface DependentInsert {
  sql(params: SqlParams, keep: string): string;
  select?(params: SqlParams): string;
}

/** Runs the statement that `build` writes, with the parameters it added on the way. */
export function queryWith<T = unknown>(manager: { query(sql: string, parameters?: unknown[]): Promise<T> }, build: (params: SqlParams) => string): Promise<T> {
  const params = new SqlParams();
  const sql = build(params);
  return manager.query(sql, params.values);
}

/** Whether a statement failed on a unique constraint (SQLSTATE 23505), as pg or TypeORM reports it. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  return e?.code === '23505' || e?.driverError?.code === '23505';
}

const NEEDS_ESCAPE = /["\\]/;

/**
 * One element of a PostgreSQL array literal, quoted (and escaped only where it holds `"` or `\\`).
 * Writing literals here rather than passing JS arrays to pg saves its two regular-expression
 * replaces on every element — thousands per statement in a bulk write.
 */
export const quoteElement = (s: string): string => `"${NEEDS_ESCAPE.test(s) ? s.replace(/["\\]/g, '\\$&') : s}"`;

/** A text[] literal (`{"a","b"}`) of strings. */
export const textArrayLiteral = (values: readonly string[]): string => `{${values.map(quoteElement).join(',')}}`;
