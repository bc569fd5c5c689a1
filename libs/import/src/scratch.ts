import { textArrayLiteral } from '@pace/database';

/** The scratch keys' share of the server's memory, at most (allocated as the table grows). */
const TEMP_BUFFERS = '128MB';

/**
 * The first holder of key `k.key` of the given kind, if any: one primary-key look-up per key. Written as a
 * lateral subquery with LIMIT 1 (the key is unique, so the limit changes nothing) because the
 * planner, asked for a few thousand keys at once (`key = ANY(…)` or a join), scans the whole table
 * instead — a cost that grows with every batch recorded, making a long file's import quadratic.
 */
const holder = (kind: string) => `JOIN LATERAL (SELECT s.row, s.ref FROM pace_import_seen s WHERE s.kind = ${kind} AND s.key = k.key LIMIT 1) s ON true`;

/** Claims as rows, from one array per column ($1–$4: kinds, keys, rows, refs; cheaper to read than JSON). */
const CLAIMS = 'SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS k(kind, key, row, ref)';

const claimColumns = (claims: KeyClaim[]) => [
  textArrayLiteral(claims.map((c) => c.kind)),
  textArrayLiteral(claims.map((c) => c.key)),
  `{${claims.map((c) => c.row).join(',')}}`,
  textArrayLiteral(claims.map((c) => c.ref)),
];

/** Runs one SQL statement on one connection (the import's session, or a rollback's transaction). */
export type Query = (sql: string, parameters?: unknown[]) => Promise<unknown[]>;

export interface KeyClaim {
  kind: string;
  key: string;
  row: number;
  /** What to name the first holder by, e.g. its Salesforce Id. */
  ref: string;
}

export interface EarlierClaim {
  row: number;
  ref: string;
}

/**
 * Keys seen earlier in this file (Salesforce Ids, normalised phones and emails), held in a
 * temporary table of the import's session instead of in memory: memory stays flat however long
 * the file, and a dry run still writes nothing that outlives it. Its queries must all go to one
 * connection (a temporary table lives in its session): `Db.dedicated()`-style, see `importSession`.
 */
export class SeenKeys {
  constructor(private readonly query: Query) {}

  async init(): Promise<void> {
    // A session's temporary tables live in its own buffers, 8 MB by default: a 100k-row file's keys
    // and their index are ~50 MB, and past the 8 MB every insert and look-up evicts pages to disk
    // and reads them back. Settable only before the session's first temporary table (a reused
    // pooled connection that imported before keeps what it had).
    await this.query(`SET temp_buffers = '${TEMP_BUFFERS}'`).catch(() => undefined);
    await this.query(`CREATE TEMPORARY TABLE IF NOT EXISTS pace_import_seen (kind text NOT NULL, key text NOT NULL, row int NOT NULL, ref text NOT NULL, PRIMARY KEY (kind, key))`);
    await this.query(`TRUNCATE pace_import_seen`);
  }

  /** Who first held each key (kind + key) in this file, without recording anything. */
  async held(kind: string, keys: string[]): Promise<Map<string, EarlierClaim>> {
    if (!keys.length) return new Map();
    const rows = (await this.query(`SELECT k.key, s.row, s.ref FROM unnest($2::text[]) AS k(key) ${holder('$1')}`, [kind, textArrayLiteral(keys)])) as {
      key: string;
      row: number;
      ref: string;
    }[];
    return new Map(rows.map((r) => [r.key, { row: r.row, ref: r.ref }]));
  }

  /** Records keys (the first holder of a key stays). */
  async record(claims: KeyClaim[]): Promise<void> {
    if (!claims.length) return;
    await this.query(`INSERT INTO pace_import_seen SELECT DISTINCT ON (kind, key) kind, key, row, ref FROM (${CLAIMS}) t ORDER BY kind, key, row ON CONFLICT DO NOTHING`, claimColumns(claims));
  }

  /** Temporary tables are never analyzed by autovacuum. */
  async analyze(): Promise<void> {
    await this.query(`ANALYZE pace_import_seen`);
  }

  /**
   * Records the claims and returns, for each one that was not first, who was: an earlier batch of
   * the file, or an earlier row of this batch. Index-aligned with `claims` (undefined: first).
   */
  async claim(claims: KeyClaim[]): Promise<(EarlierClaim | undefined)[]> {
    if (!claims.length) return [];
    const earlier = (await this.query(
      `WITH input AS (${CLAIMS}),
            held AS (SELECT k.kind, k.key, s.row, s.ref FROM input k ${holder('k.kind')}),
            added AS (INSERT INTO pace_import_seen SELECT DISTINCT ON (kind, key) kind, key, row, ref FROM input ORDER BY kind, key, row ON CONFLICT DO NOTHING)
       SELECT DISTINCT kind, key, row, ref FROM held`,
      claimColumns(claims),
    )) as { kind: string; key: string; row: number; ref: string }[];
    const first = new Map<string, EarlierClaim>(earlier.map((e) => [`${e.kind}\u0000${e.key}`, { row: e.row, ref: e.ref }]));
    return claims.map((c) => {
      const k = `${c.kind}\u0000${c.key}`;
      const held = first.get(k);
      if (held && held.row !== c.row) return held;
      if (!held) first.set(k, { row: c.row, ref: c.ref });
      return undefined;
    });
  }
}
