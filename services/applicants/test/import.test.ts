import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create } from '@bufbuild/protobuf';
import type { DataSource } from 'typeorm';
import { ListingSnapshotSchema } from '@pace/contracts';
import { Db, createDataSource, isUniqueViolation } from '@pace/database';
import { Outbox } from '@pace/events';
import { ImportBusyError, loadMapping } from '@pace/import';
import type { RunningService } from '@pace/platform';
import { type TestDatabase, api, applicantsOverGrpc, createTestDatabase, grpcTestEnv, startTestService, stopAll, testBusEnv, eventually } from '@pace/testing';
import { telephonyService } from '../../telephony/src/service';
import { importApplicants, importRow } from '../src/import/applicants.importer';
import { rollbackApplicantsBatch } from '../src/import/applicants.rollback';
import { ApplicantsImportRepository } from '../src/import/applicants-import.repository';
import { CONTACT_COLUMNS, prepareContact } from '../src/import/contact.mapping';
import { TimelineRepository } from '../src/timeline/timeline.repository';
import { MatchingService } from '../src/matching/matching.service';
import { applicantsService } from '../src/service';

// The Salesforce contact import against real PostgreSQL, with the applicants service (whose relay
// publishes the import's outbox rows) and telephony (whose directory consumes them) running.
let testDb: TestDatabase;
let applicants: RunningService;
let telephony: RunningService;
let grpc: ReturnType<typeof applicantsOverGrpc>;
let dataSource: DataSource;
let db: Db;
let outbox: Outbox;
const dir = mkdtempSync(path.join(tmpdir(), 'pace-import-'));
const SAMPLE = path.join(__dirname, 'data/salesforce-contacts.csv');

const HEADER = 'Id,FirstName,LastName,Email,Phone,MobilePhone,LeadSource,pba__Request__c.pba__ListingPrice_pb_min__c,pba__Request__c.Move_In_Date__c';
function csvFile(name: string, rows: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, [HEADER, ...rows].join('\r\n') + '\r\n');
  return file;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: string }[] = await dataSource.query(sql, params);
  return Number(rows[0].n);
}
const tables = async () => ({
  applicants: await count(`SELECT count(*) AS n FROM applicants.applicant`),
  outbox: await count(`SELECT count(*) AS n FROM applicants.outbox`),
  timeline: await count(`SELECT count(*) AS n FROM applicants.timeline_entry`),
  audit: await count(`SELECT count(*) AS n FROM applicants.applicant_audit`),
  links: await count(`SELECT count(*) AS n FROM applicants.applicant_salesforce_link`),
  batches: await count(`SELECT count(*) AS n FROM applicants.import_batch`),
});
const run = (file: string, extra: { dryRun?: boolean } = {}) => importApplicants(db, outbox, { file, out: null, batchSize: 100, ...extra });

const lookup = (phone: string) => api(telephony.url).get(`/directory?phone=${encodeURIComponent(phone)}`);

beforeAll(async () => {
  testDb = await createTestDatabase();
  const bus = testBusEnv();
  telephony = await startTestService(telephonyService, { DATABASE_URL: testDb.url, ...bus });
  const grpcEnv = await grpcTestEnv();
  applicants = await startTestService(applicantsService, { DATABASE_URL: testDb.url, ...bus, ...grpcEnv });
  grpc = applicantsOverGrpc(grpcEnv.GRPC_PORT);
  // As `npm run import` connects: the service's own entities, three connections, the service's outbox.
  dataSource = createDataSource(applicantsService.db, testDb.url, 3);
  await dataSource.initialize();
  db = new Db(dataSource);
  outbox = new Outbox(db, 'applicants', bus.EVENTS_NAMESPACE);
});

afterAll(async () => {
  // Let telephony finish the imported applicants' events before it closes (no half-handled batches).
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const handled = await count(`SELECT count(*) AS n FROM telephony.inbox`);
    if (handled === last) break;
    last = handled;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  grpc?.close();
  await dataSource?.destroy();
  await stopAll(telephony, applicants);
  await testDb?.drop();
});

describe('Salesforce contact import', () => {
  it('imports the sample once: a second run updates nothing, a third updates exactly the rows that changed', async () => {
    const first = await run(SAMPLE);
    const after1 = await tables();
    expect(first.summary).toMatchObject({ rows: 300, updated: 0, unchanged: 0 });
    expect(first.summary.created).toBeGreaterThan(250);
    expect(first.summary.duplicates).toBeGreaterThan(5);
    expect(first.summary.invalid).toBeGreaterThan(5);
    expect(first.summary.created + first.summary.invalid + first.summary.duplicates).toBe(300);
    expect(after1.applicants).toBe(first.summary.created);
    expect(after1.links).toBe(first.summary.duplicates);
    // Every new applicant has its timeline entry, audit row and created event; nothing else does.
    expect(after1).toMatchObject({ timeline: first.summary.created, audit: first.summary.created, outbox: first.summary.created });
    expect(await count(`SELECT count(DISTINCT o.aggregate_id) AS n FROM applicants.outbox o JOIN applicants.applicant a ON a.id::text = o.aggregate_id WHERE o.type = 'applicants.applicant-created.v1'`)).toBe(
      first.summary.created,
    );

    const second = await run(SAMPLE);
    expect(second.summary).toMatchObject({ created: 0, updated: 0, unchanged: first.summary.created, invalid: first.summary.invalid, duplicates: first.summary.duplicates });
    const after2 = await tables();
    expect(after2.applicants).toBe(after1.applicants);
    expect(after2.outbox).toBe(after1.outbox);
    expect(after2.links).toBe(after1.links);

    // Change the last name on three imported rows (rows 2, 4, 5 of the file are valid, non-duplicate contacts).
    const lines = readFileSync(SAMPLE, 'utf8').split('\r\n');
    const changedIds: string[] = [];
    for (const i of [1, 3, 4]) {
      const cells = lines[i].split(',');
      changedIds.push(cells[0]);
      cells[2] = `${cells[2]}-Changed`;
      lines[i] = cells.join(',');
    }
    const changed = path.join(dir, 'changed.csv');
    writeFileSync(changed, lines.join('\r\n'));
    const third = await run(changed);
    expect(third.summary).toMatchObject({ created: 0, updated: 3, unchanged: first.summary.created - 3 });
    const after3 = await tables();
    expect(after3.applicants).toBe(after1.applicants);
    const updatedEvents: { aggregate_id: string }[] = await dataSource.query(`SELECT aggregate_id FROM applicants.outbox WHERE type = 'applicants.applicant-updated.v1'`);
    const updatedRows: { id: string; last_name: string; version: number }[] = await dataSource.query(
      `SELECT id, last_name, version FROM applicants.applicant WHERE salesforce_id = ANY($1) ORDER BY salesforce_id`,
      [changedIds],
    );
    expect(updatedRows.map((r) => r.last_name.endsWith('-Changed'))).toEqual([true, true, true]);
    expect(updatedRows.map((r) => r.version)).toEqual([2, 2, 2]);
    expect(updatedEvents.map((e) => e.aggregate_id).sort()).toEqual(updatedRows.map((r) => r.id).sort());
  });

  it('a dry run on a file with errors writes nothing and lists every bad row with its column', async () => {
    const file = csvFile('bad.csv', [
      '003000000000DRY001,Ok,Person,ok.dry@example.com,,050 700 0001,Bayut,"1,000,000",2026-03-01',
      ',No,Id,no.id@example.com,,050 700 0002,Bayut,,',
      '003000000000DRY003,,,nobody@example.com,,050 700 0003,,,',
      '003000000000DRY004,No,Contact,,,12345,,,',
      '003000000000DRY005,Bad,Budget,bad.budget@example.com,,050 700 0005,,lots,31/02/2026',
      '003000000000DRY001,Same,Id,again@example.com,,050 700 0006,,,',
      'not-an-id,Weird,Id,weird@example.com,,050 700 0007,,,',
      '003000000000DRY008,Twin,Person,OK.DRY@example.com,,,,,',
    ]);
    const before = await tables();
    const { summary, report } = await run(file, { dryRun: true });
    expect(await tables()).toEqual(before);
    const bad = report.problems.map((p) => [p.row, p.column, p.severity]);
    expect(bad).toEqual([
      [3, 'Id', 'error'],
      [4, 'LastName', 'error'],
      [5, 'MobilePhone', 'warning'],
      [5, 'MobilePhone', 'error'],
      [6, 'pba__Request__c.pba__ListingPrice_pb_min__c', 'warning'],
      [6, 'pba__Request__c.Move_In_Date__c', 'warning'],
      [8, 'Id', 'error'],
      [7, 'Id', 'error'],
    ]);
    expect(report.problems.find((p) => p.row === 7)?.problem).toMatch(/repeats row 2/);
    expect(report.duplicates).toEqual([expect.objectContaining({ row: 9, salesforceId: '003000000000DRY008', matchedOn: 'email ok.dry@example.com' })]);
    expect(summary).toMatchObject({ dryRun: true, rows: 8, created: 2, invalid: 5, duplicates: 1 });
  });

  it('rollback deletes exactly the batch it names, with deletion events; other batches and hand-made applicants stay', async () => {
    const handMade = await grpc.create({ firstName: 'Hand', lastName: 'Made', phones: ['+971 50 800 0000'] });
    const a = await run(
      csvFile('a.csv', ['003000000000RBA001,Alpha,One,alpha1@example.com,,050 800 0001,,,', '003000000000RBA002,Alpha,Two,alpha2@example.com,,050 800 0002,,,', '003000000000RBA003,Alpha,Twin,,,0508000000,,,']),
    );
    const b = await run(csvFile('b.csv', ['003000000000RBB001,Beta,One,beta1@example.com,,050 800 0011,,,']));
    expect(a.summary).toMatchObject({ created: 2, duplicates: 1 });
    expect(a.report.duplicates[0].duplicateOf).toContain(handMade.id);
    const aIds: string[] = (await dataSource.query(`SELECT id FROM applicants.applicant WHERE import_batch_id = $1 ORDER BY id`, [a.summary.batchId])).map((r: { id: string }) => r.id);
    expect(aIds).toHaveLength(2);
    // Imported applicants emit the same created events as hand-made ones, and telephony's directory fills from them.
    const createdEvents = await count(`SELECT count(*) AS n FROM applicants.outbox WHERE type = 'applicants.applicant-created.v1' AND aggregate_id = ANY($1)`, [aIds]);
    expect(createdEvents).toBe(2);
    const found = await eventually(() => lookup('+971 50 800 0001'), (r) => r.body.matches?.length > 0);
    expect(found.body.matches).toEqual([{ applicantId: aIds[0], displayName: 'Alpha One' }]);

    const before = await tables();
    const result = await rollbackApplicantsBatch(db, outbox, a.summary.batchId);
    expect(result).toMatchObject({ deleted: 2, unlinked: 1 });
    const after = await tables();
    expect(after.applicants).toBe(before.applicants - 2);
    expect(await count(`SELECT count(*) AS n FROM applicants.applicant WHERE id = ANY($1)`, [aIds])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM applicants.applicant WHERE id = $1`, [handMade.id])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM applicants.applicant WHERE import_batch_id = $1`, [b.summary.batchId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM applicants.timeline_entry WHERE applicant_id = ANY($1)`, [aIds])).toBe(0);
    const deletions: { aggregate_id: string }[] = await dataSource.query(`SELECT aggregate_id FROM applicants.outbox WHERE type = 'applicants.applicant-deleted.v1' ORDER BY aggregate_id`);
    expect(deletions.map((d) => d.aggregate_id)).toEqual(aIds);
    expect(await count(`SELECT count(*) AS n FROM applicants.applicant_audit WHERE action = 'import-rollback' AND applicant_id = ANY($1)`, [aIds])).toBe(2);
    // …and tombstones for the sync feed, so the Salesforce adapter deletes them on its side too.
    expect(await count(`SELECT count(*) AS n FROM applicants.tombstone WHERE entity = 'applicant' AND id = ANY($1) AND merged_into IS NULL`, [aIds])).toBe(2);
    // telephony heard the deletion: the number no longer pops up the deleted applicant.
    const gone = await eventually(() => lookup('+971 50 800 0001'), (r) => r.body.matches?.length === 0);
    expect(gone.body.matches).toEqual([]);
    await expect(rollbackApplicantsBatch(db, outbox, a.summary.batchId)).rejects.toThrow(/was rolled back/);
  });

  it('stores names with quotes, backslashes, commas, braces and Arabic exactly as the file has them', async () => {
    const names: [string, string][] = [
      ['Zoë "Z"', 'O\'Brien \\ Jr, {III}'],
      ['محمد', 'العلي'],
      ['Null Island', '\\"'],
    ];
    const cell = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const file = csvFile('odd-names.csv', names.map(([first, last], i) => `003000000000ODD00${i},${cell(first)},${cell(last)},odd${i}@example.com,,050 500 000${i},,,`));
    expect((await run(file)).summary).toMatchObject({ created: 3, invalid: 0 });
    const stored: { first_name: string; last_name: string; phones: string[] }[] = await dataSource.query(
      `SELECT first_name, last_name, phones FROM applicants.applicant WHERE salesforce_id LIKE '003000000000ODD%' ORDER BY salesforce_id`,
    );
    expect(stored.map((r) => [r.first_name, r.last_name])).toEqual(names);
    expect(stored.map((r) => r.phones)).toEqual([['+971505000000'], ['+971505000001'], ['+971505000002']]);
  });

  it('refuses a second run of the same entity while one is running; the first creates each applicant once, with its timeline entry, audit row and event', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `003000000000CC${String(i).padStart(4, '0')},Con,Current${i},cc${i}@example.com,,050 6${String(i).padStart(6, '0')},,,`);
    const file = csvFile('concurrent.csv', rows);
    // A second operator's run: its own connections, as a second `npm run import` would have.
    const otherSource = createDataSource(applicantsService.db, testDb.url, 3);
    await otherSource.initialize();
    let results: PromiseSettledResult<Awaited<ReturnType<typeof run>>>[];
    try {
      const otherDb = new Db(otherSource);
      const other = () => importApplicants(otherDb, new Outbox(otherDb, 'applicants', testBusEnv().EVENTS_NAMESPACE), { file, out: null, batchSize: 100 });
      results = await Promise.allSettled([run(file), other()]);
      // A dry run needs no turn.
      const [first] = await Promise.all([run(file), importApplicants(otherDb, new Outbox(otherDb, 'applicants', testBusEnv().EVENTS_NAMESPACE), { file, out: null, dryRun: true })]);
      expect(first.summary).toMatchObject({ created: 0, unchanged: 250 });
    } finally {
      await otherSource.destroy();
    }
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(ImportBusyError);
    expect(String(refused[0].reason.message)).toMatch(/another applicants import is running/);
    const done = results.find((r) => r.status === 'fulfilled')!;
    expect(done.status === 'fulfilled' && done.value.summary).toMatchObject({ created: 250 });
    const per = (table: string, key: string, where = '') =>
      dataSource.query(
        `SELECT count(*)::int AS n FROM applicants.applicant a JOIN applicants.${table} t ON t.${key} = a.id${key === 'aggregate_id' ? '::text' : ''} WHERE a.salesforce_id LIKE '003000000000CC%' ${where} GROUP BY a.id`,
      ) as Promise<{ n: number }[]>;
    for (const counts of [await per('timeline_entry', 'applicant_id'), await per('applicant_audit', 'applicant_id'), await per('outbox', 'aggregate_id', `AND t.type = 'applicants.applicant-created.v1'`)]) {
      expect(counts).toHaveLength(250);
      expect(counts.every((c) => c.n === 1)).toBe(true);
    }
    // While an import holds the turn (here another session), a rollback of the entity waits its turn too.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.query(`SELECT pg_advisory_lock(hashtextextended('pace-import:applicants', 0))`);
    try {
      await expect(rollbackApplicantsBatch(db, outbox, done.status === 'fulfilled' ? done.value.summary.batchId : '')).rejects.toThrow(/an applicants import is running/);
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
      await holder.release();
    }
  });

  it('writes a batch of new applicants and everything hanging off them as one statement, or nothing at all', async () => {
    const repo = new ApplicantsImportRepository(db);
    const timeline = new TimelineRepository(db);
    // Rows as the importer builds them from a file's cells.
    const row = (salesforceId: string, id: string) => {
      const { prepared } = prepareContact(loadMapping(CONTACT_COLUMNS), { row: 2, values: { Id: salesforceId, FirstName: 'One', LastName: 'Statement', Email: `${salesforceId}@example.com` } });
      const now = new Date().toISOString();
      return importRow(prepared!, id, now, now);
    };
    const [taken] = (await dataSource.query(`SELECT salesforce_id FROM applicants.applicant WHERE salesforce_id IS NOT NULL LIMIT 1`)) as { salesforce_id: string }[];
    const fresh = ['0190a6b2-0000-7000-8000-00000000a001', '0190a6b2-0000-7000-8000-00000000a002'];
    const rows = [row('003000000000ONE001', fresh[0]), row(taken.salesforce_id, fresh[1])];
    const entries = timeline.prepareMany({ id: null, role: 'import' }, rows.map((r) => ({ applicantId: r.id, kind: 'created', summary: 'test' })));
    const batchId = '0190a6b2-0000-7000-8000-00000000b001';
    // One Salesforce Id is already in: the statement fails on its unique index and writes nothing.
    const failure: unknown = await repo.insertNew(repo.prepareRows(rows), batchId, [timeline.dependentInsert(entries)]).catch((error: unknown) => error);
    expect(isUniqueViolation(failure)).toBe(true);
    const written = async () => ({
      applicants: await count(`SELECT count(*) AS n FROM applicants.applicant WHERE id = ANY($1)`, [fresh]),
      timeline: await count(`SELECT count(*) AS n FROM applicants.timeline_entry WHERE applicant_id = ANY($1)`, [fresh]),
    });
    expect(await written()).toEqual({ applicants: 0, timeline: 0 });
    // A guard that does not hold writes nothing either; one that holds writes the rows and their entries.
    expect((await repo.insertNew(repo.prepareRows(rows.slice(0, 1)), batchId, [timeline.dependentInsert(entries)], 'false')).size).toBe(0);
    expect(await written()).toEqual({ applicants: 0, timeline: 0 });
    expect([...(await repo.insertNew(repo.prepareRows(rows.slice(0, 1)), batchId, [timeline.dependentInsert(entries)]))]).toEqual([fresh[0]]);
    // Only the inserted applicant's entry: the other's was in the same document but is kept out.
    expect(await written()).toEqual({ applicants: 1, timeline: 1 });
  });

  it('gives imported applicants their matches, as for applicants made by hand, and a rollback takes them away', async () => {
    const listingId = '0190a6b2-0000-7000-8000-00000000c0de';
    await applicants.app.get(Db).transaction(() =>
      applicants.app.get(MatchingService).applyListing(
        create(ListingSnapshotSchema, {
          id: listingId,
          reference: 'ALS-S-009001',
          status: 'published',
          purpose: 'sale',
          propertyType: 'apartment',
          price: { amountFils: 250_000_000n, currency: 'AED' },
          bedrooms: 2,
          location: { emirate: 'dubai', community: 'Dubai Marina' },
          title: { en: 'Two-bedroom apartment', ar: '' },
          furnishing: 'unfurnished',
          completionStatus: 'ready',
          agentId: '0190a6b2-0000-7000-8000-000000000001',
          version: 1n,
        }),
      ),
    );
    const header = 'Id,FirstName,LastName,Phone,pba__Request__c.pba__ListingType__c,pba__Request__c.pba__PropertyType__c,pba__Request__c.pba__Bedrooms_pb_min__c,pba__Request__c.pba__Bedrooms_pb_max__c,pba__Request__c.pba__ListingPrice_pb_max__c,pba__Request__c.pba__Locations__c';
    const file = path.join(dir, 'with-requirements.csv');
    writeFileSync(file, [header, '0035g00000MATCH1AA,Layla,Haddad,050 900 0001,Sale,Apartment,2,3,"2,800,000",Dubai Marina', '0035g00000MATCH2AA,Omar,Saleh,050 900 0002,Rent,Apartment,2,3,"150,000",Dubai Marina'].join('\r\n') + '\r\n');
    const { summary } = await run(file);
    expect(summary).toMatchObject({ created: 2 });
    const matched: { first_name: string; score: number }[] = await dataSource.query(
      `SELECT a.first_name, m.score FROM applicants.applicant_match m JOIN applicants.applicant a ON a.id = m.applicant_id WHERE m.listing_id = $1 AND a.import_batch_id = $2`,
      [listingId, summary.batchId],
    );
    // The buyer fits the apartment for sale; the tenant does not.
    expect(matched.map((m) => m.first_name)).toEqual(['Layla']);
    expect(await count(`SELECT count(*) AS n FROM applicants.outbox WHERE type = 'applicants.matches-changed.v1'`)).toBeGreaterThan(0);
    const ids: { id: string }[] = await dataSource.query(`SELECT id FROM applicants.applicant WHERE import_batch_id = $1`, [summary.batchId]);
    await rollbackApplicantsBatch(db, outbox, summary.batchId);
    expect(await count(`SELECT count(*) AS n FROM applicants.applicant_match WHERE applicant_id = ANY($1)`, [ids.map((r) => r.id)])).toBe(0);
  });
});
