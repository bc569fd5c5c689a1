import { Client } from 'pg';
import type { TestSession } from '@pace/testing';
import { completeListing } from '../../listings/test/fixtures';
import { ADMIN_EMAIL, type Stack, startStack } from './stack';

/**
 * The change feeds (`/api/v1/sync/*`) through the gateway, as the Salesforce adapter calls them:
 * API tokens, small pages, tombstones for merges and deletes (a DELETE by SQL, as an import's
 * rollback does it), and the guarantee under concurrent writes — including a writer whose
 * transaction began before, and commits after, writes the client has already been offered.
 */
let stack: Stack;
let admin: TestSession;
let sql: Client;
const tokens: Record<'applicants' | 'listings', string> = { applicants: '', listings: '' };

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

interface Change {
  id: string;
  deleted: boolean;
  updatedAt: string;
  kind?: 'deleted' | 'merged';
  mergedInto?: string | null;
  record?: Record<string, unknown> & { version?: number };
}
interface SyncPage {
  items: Change[];
  next: string;
  hasMore: boolean;
}

const positionOf = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { feed: string; seq: string; id: string };

async function page(feed: string, cursor: string | undefined, limit: number, token = tokens.applicants): Promise<SyncPage> {
  const res = await stack.http.get(`/api/v1/sync/${feed}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, bearer(token));
  if (res.status !== 200) throw new Error(`sync ${feed}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SyncPage;
}

/**
 * Waits until every transaction that ended before now is below the feeds' horizon (the server's
 * oldest running transaction: on a shared test server, another database's long transaction could
 * otherwise hold the feed back for a moment).
 */
async function settled(): Promise<void> {
  const { rows } = await sql.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { rows: h } = await sql.query<{ ok: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint > $1::bigint AS ok', [rows[0].xid]);
    if (h[0].ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the horizon did not pass');
}

/** Follows cursors until caught up (after `settled()`); returns every change in order and where to resume. */
async function drain(feed: string, cursor: string | undefined, limit: number, token?: string): Promise<{ changes: Change[]; next: string; pages: number }> {
  await settled();
  const changes: Change[] = [];
  let pages = 0;
  for (;;) {
    const p = await page(feed, cursor, limit, token);
    pages++;
    expect(p.items.length).toBeLessThanOrEqual(limit);
    changes.push(...p.items);
    cursor = p.next;
    if (!p.hasMore) return { changes, next: p.next, pages };
    if (pages > 1000) throw new Error('the feed does not end');
  }
}

let phone = 0;
const nextPhone = () => `+97150${String(7000000 + phone++).padStart(7, '0')}`;

async function createApplicant(firstName: string): Promise<{ id: string; version: number }> {
  const res = await stack.http.post('/api/v1/applicants', { firstName, lastName: 'Sync', phones: [nextPhone()] }, admin.headers);
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, version: res.body.version };
}

async function rename(id: string, version: number, firstName: string): Promise<number> {
  const res = await stack.http.patch(`/api/v1/applicants/${id}`, { version, firstName }, admin.headers);
  if (res.status !== 200) throw new Error(`update: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.version as number;
}

/** An applicant row written by SQL in its own transaction (as the CSV import does). */
const insertSql = `INSERT INTO applicants.applicant (id, first_name, last_name, phones, version) VALUES ($1, $2, 'Sql', ARRAY[$3], 1)`;

beforeAll(async () => {
  stack = await startStack({ RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_TOKEN_PER_MINUTE: '100000' }, { listings: true });
  admin = await stack.session(ADMIN_EMAIL);
  const principal = await stack.http.post('/api/v1/admin/service-principals', { name: 'salesforce-adapter', description: 'Salesforce sync' }, admin.headers);
  for (const [key, scope] of [
    ['applicants', 'applicants:read'],
    ['listings', 'listings:read'],
  ] as const) {
    const token = await stack.http.post(`/api/v1/admin/service-principals/${principal.body.id}/tokens`, { scopes: [scope] }, admin.headers);
    if (token.status !== 201) throw new Error(JSON.stringify(token.body));
    tokens[key] = token.body.token;
  }
  sql = new Client({ connectionString: stack.db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await stack.close();
});

describe('GET /api/v1/sync/applicants', () => {
  let start: string;

  it('pages every change with a small limit, merges and deletes as tombstones, and ends', async () => {
    // Whatever exists already (nothing on a fresh database) is the starting point.
    start = (await drain('applicants', undefined, 50)).next;
    const a = await createApplicant('Amal');
    const b = await createApplicant('Bilal');
    const c = await createApplicant('Chitra');
    const d = await createApplicant('Dana');
    const a2 = await rename(a.id, a.version, 'Amala');
    const merged = await stack.http.post('/api/v1/applicants/merge', { survivorId: a.id, mergedId: b.id, survivorVersion: a2 }, admin.headers);
    expect(merged.status).toBe(200);
    // Deleted behind the service's back, as an import's rollback does.
    await sql.query('DELETE FROM applicants.applicant WHERE id = $1', [d.id]);

    const { changes, pages } = await drain('applicants', start, 2);
    expect(pages).toBeGreaterThan(1);
    const last = new Map(changes.map((ch) => [ch.id, ch]));
    expect([...last.keys()].sort()).toEqual([a.id, b.id, c.id, d.id].sort());
    expect(last.get(a.id)).toMatchObject({ deleted: false, record: { id: a.id, firstName: 'Amala', version: merged.body.version, mergedInto: null } });
    expect(last.get(b.id)).toEqual({ id: b.id, deleted: true, kind: 'merged', mergedInto: a.id, updatedAt: expect.any(String) });
    expect(last.get(c.id)).toMatchObject({ deleted: false, record: { firstName: 'Chitra', phones: [expect.stringMatching(/^\+9715/)] } });
    expect(last.get(d.id)).toEqual({ id: d.id, deleted: true, kind: 'deleted', mergedInto: null, updatedAt: expect.any(String) });
  });

  it('answers an empty page with the same cursor when nothing changed, and picks up a re-created id', async () => {
    const caughtUp = await drain('applicants', start, 100);
    const again = await page('applicants', caughtUp.next, 10);
    expect(again).toEqual({ items: [], next: caughtUp.next, hasMore: false });
    const id = '01938f4e-0000-7000-8000-0000000000d1';
    await sql.query(insertSql, [id, 'Reborn', nextPhone()]);
    await sql.query('DELETE FROM applicants.applicant WHERE id = $1', [id]);
    await sql.query(insertSql, [id, 'Reborn', nextPhone()]);
    const after = await drain('applicants', caughtUp.next, 10);
    expect(after.changes).toEqual([expect.objectContaining({ id, deleted: false, record: expect.objectContaining({ firstName: 'Reborn' }) })]);
    expect((await sql.query(`SELECT count(*)::int AS n FROM applicants.tombstone WHERE id = $1`, [id])).rows[0].n).toBe(0);
  });

  it('refuses a bad cursor with the reason, and a cursor of another feed', async () => {
    const bad = await stack.http.get('/api/v1/sync/applicants?cursor=not-a-cursor', bearer(tokens.applicants));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body).toMatchObject({ code: 'invalid-cursor', detail: expect.stringContaining('does not decode') });
    const listingsCursor = (await page('listings', undefined, 1, tokens.listings)).next;
    const foreign = await stack.http.get(`/api/v1/sync/applicants?cursor=${listingsCursor}`, bearer(tokens.applicants));
    expect(foreign.status).toBe(400);
    expect(foreign.body.detail).toContain('listings feed');
    expect((await stack.http.get('/api/v1/sync/applicants?limit=1001', bearer(tokens.applicants))).status).toBe(400);
    // A cursor from another server's history (e.g. before a restore from a dump) is refused, not followed.
    const ahead = Buffer.from(JSON.stringify({ v: 1, feed: 'applicants', seq: '9000000000000000000', id: '00000000-0000-0000-0000-000000000000' })).toString('base64url');
    const refused = await stack.http.get(`/api/v1/sync/applicants?cursor=${ahead}`, bearer(tokens.applicants));
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('start again without a cursor');
  });

  it('is for API tokens with applicants:read only', async () => {
    const human = await stack.http.get('/api/v1/sync/applicants', admin.headers);
    expect(human.status).toBe(403);
    expect(human.body).toMatchObject({ code: 'api-token-required', detail: expect.stringContaining('integrations') });
    const wrongScope = await stack.http.get('/api/v1/sync/applicants', bearer(tokens.listings));
    expect(wrongScope.status).toBe(403);
    expect(wrongScope.body.code).toBe('scope-missing');
    expect((await stack.http.get('/api/v1/sync/activities', bearer(tokens.listings))).status).toBe(403);
    expect((await stack.http.get('/api/v1/sync/listings', bearer(tokens.applicants))).status).toBe(403);
    expect((await stack.http.get('/api/v1/sync/applicants')).status).toBe(401);
  });
});

describe('the guarantee', () => {
  it('holds back rows of a transaction that began earlier and commits later (the horizon)', async () => {
    const from = (await drain('applicants', undefined, 500)).next;
    const slow = new Client({ connectionString: stack.db.url });
    await slow.connect();
    try {
      // Takes its transaction id now (lower than what follows), commits last.
      await slow.query('BEGIN');
      const early = '01938f4e-0000-7000-8000-0000000000e1';
      await slow.query(insertSql, [early, 'Early', nextPhone()]);
      const later = await createApplicant('Later');
      // Ordered by updated_at (or by change_seq without the horizon), `later` would be offered
      // now and the cursor would pass `early`'s position before it commits: `early` would be lost.
      const during = await page('applicants', from, 100);
      expect(during.items.map((i) => i.id)).not.toContain(later.id);
      expect(during.hasMore).toBe(false);
      await slow.query('COMMIT');
      const { changes } = await drain('applicants', during.next, 100);
      expect(changes.map((i) => i.id)).toEqual([early, later.id]);
    } finally {
      await slow.end();
    }
  });

  it('a client paging during concurrent creates and updates sees every id at its final version, and ends', async () => {
    const from = (await drain('applicants', undefined, 500)).next;
    const finalVersion = new Map<string, number>();
    let writing = true;

    // Writers through the API (each request its own transaction in the applicants service)…
    const apiWriter = async (n: number, w: number) => {
      for (let i = 0; i < n; i++) {
        const created = await createApplicant(`W${w}-${i}`);
        finalVersion.set(created.id, created.version);
        let version = created.version;
        for (let u = 0; u < 2; u++) version = await rename(created.id, version, `W${w}-${i}-u${u}`);
        finalVersion.set(created.id, version);
      }
    };
    // …and one on its own connection whose transactions stay open a while, so later ones overtake it.
    const sqlWriter = async (n: number) => {
      const c = new Client({ connectionString: stack.db.url });
      await c.connect();
      try {
        for (let i = 0; i < n; i++) {
          const id = `01938f4e-0000-7000-8000-${String(100000000000 + i)}`;
          await c.query('BEGIN');
          await c.query(insertSql, [id, `S-${i}`, nextPhone()]);
          await c.query('SELECT pg_sleep(0.05 + random() * 0.1)');
          await c.query(`UPDATE applicants.applicant SET first_name = 'S-' || $2 || '-u', version = version + 1 WHERE id = $1`, [id, i]);
          await c.query('COMMIT');
          finalVersion.set(id, 2);
        }
      } finally {
        await c.end();
      }
    };

    const seen = new Map<string, number>();
    const delivered = new Set<string>();
    let cursor = from;
    let lastPage: SyncPage | undefined;
    const read = async () => {
      const done = () => [...finalVersion].every(([id, v]) => seen.get(id) === v);
      const deadline = Date.now() + 30_000;
      while (writing || !lastPage || lastPage.hasMore || !done()) {
        if (Date.now() > deadline) break;
        lastPage = await page('applicants', cursor, 7);
        const before = positionOf(cursor);
        const after = positionOf(lastPage.next);
        // Never backwards: the position only grows.
        expect(BigInt(after.seq) > BigInt(before.seq) || (after.seq === before.seq && after.id >= before.id)).toBe(true);
        for (const item of lastPage.items) {
          const version = item.record?.version ?? 0;
          // Never loops: a version of a record is offered once.
          expect(delivered.has(`${item.id}@${version}`)).toBe(false);
          delivered.add(`${item.id}@${version}`);
          seen.set(item.id, Math.max(seen.get(item.id) ?? 0, version));
        }
        cursor = lastPage.next;
        if (!lastPage.hasMore) await new Promise((r) => setTimeout(r, 20));
      }
    };

    const reader = read();
    await Promise.all([apiWriter(8, 1), apiWriter(8, 2), apiWriter(8, 3), sqlWriter(12)]);
    writing = false;
    await reader;

    expect(finalVersion.size).toBe(36);
    const missing = [...finalVersion].filter(([id, v]) => seen.get(id) !== v);
    expect(missing).toEqual([]);
    expect(lastPage?.hasMore).toBe(false);
  });
});

describe('GET /api/v1/sync/activities', () => {
  it('carries timeline entries, and again when a merge moves them to the survivor', async () => {
    const from = (await drain('activities', undefined, 500)).next;
    const a = await createApplicant('Farah');
    const b = await createApplicant('Ghalib');
    const note = await stack.http.post(`/api/v1/applicants/${b.id}/notes`, { text: 'Call back on Sunday' }, admin.headers);
    expect(note.status).toBe(201);
    const first = await drain('activities', from, 2);
    expect(first.changes).toEqual(expect.arrayContaining([expect.objectContaining({ id: note.body.id, deleted: false, record: expect.objectContaining({ applicantId: b.id, kind: 'note', summary: expect.any(String) }) })]));
    const merged = await stack.http.post('/api/v1/applicants/merge', { survivorId: a.id, mergedId: b.id, survivorVersion: a.version }, admin.headers);
    expect(merged.status).toBe(200);
    const moved = await drain('activities', first.next, 2);
    expect(moved.changes).toEqual(expect.arrayContaining([expect.objectContaining({ id: note.body.id, record: expect.objectContaining({ applicantId: a.id }) })]));
    await sql.query('DELETE FROM applicants.timeline_entry WHERE id = $1', [note.body.id]);
    const gone = await drain('activities', moved.next, 2);
    expect(gone.changes).toEqual([{ id: note.body.id, deleted: true, kind: 'deleted', mergedInto: null, updatedAt: expect.any(String) }]);
  });
});

describe('GET /api/v1/sync/listings', () => {
  it('carries every listing (landlord contact hidden, as for every machine) and deletions', async () => {
    const from = (await drain('listings', undefined, 500, tokens.listings)).next;
    const created = await stack.http.post('/api/v1/listings', completeListing({ permit: null, portals: ['bayut'] }), admin.headers);
    expect(created.status).toBe(201);
    const other = await stack.http.post('/api/v1/listings', completeListing({ permit: null, portals: ['bayut'] }), admin.headers);
    expect(other.status).toBe(201);
    const changed = await stack.http.patch(`/api/v1/listings/${created.body.id}`, { bedrooms: 3 }, { ...admin.headers, 'if-match': '"1"' });
    expect(changed.status).toBe(200);
    await sql.query('DELETE FROM listings.listing WHERE id = $1', [other.body.id]);

    const { changes, pages } = await drain('listings', from, 1, tokens.listings);
    expect(pages).toBeGreaterThan(1);
    const last = new Map(changes.map((ch) => [ch.id, ch]));
    expect(last.get(created.body.id)).toMatchObject({ deleted: false, record: { id: created.body.id, bedrooms: 3, version: 2, landlord: null, landlordHidden: true } });
    expect(last.get(other.body.id)).toEqual({ id: other.body.id, deleted: true, kind: 'deleted', mergedInto: null, updatedAt: expect.any(String) });
    const bad = await stack.http.get('/api/v1/sync/listings?cursor=eyJ2IjoyfQ', bearer(tokens.listings));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid-cursor', detail: expect.stringContaining('version') });
  });
});
