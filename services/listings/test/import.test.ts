import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { Db, createDataSource } from '@pace/database';
import { Outbox } from '@pace/events';
import { importListings } from '../src/import/listings.importer';
import { rollbackListingsBatch } from '../src/import/listings.rollback';
import { listingsService } from '../src/service';
import { type Harness, completeListing, people, startHarness } from './fixtures';

// The Propertybase listing import against real PostgreSQL, beside a running listings service
// (hand-made listings are created through its HTTP edge).
let h: Harness;
let dataSource: DataSource;
let db: Db;
let outbox: Outbox;
const dir = mkdtempSync(path.join(tmpdir(), 'pace-listings-import-'));
const SAMPLE = path.join(__dirname, 'data/salesforce-listings.csv');
const AGENT = people.sara.id;
const run = (file: string, dryRun = false) => importListings(db, outbox, { file, agentId: AGENT, out: null, batchSize: 64, dryRun });
const n = async (sql: string, params: unknown[] = []) => Number(((await dataSource.query(sql, params)) as { n: string }[])[0].n);

beforeAll(async () => {
  h = await startHarness();
  dataSource = createDataSource(listingsService.db, h.db.url, 3);
  await dataSource.initialize();
  db = new Db(dataSource);
  outbox = new Outbox(db, 'listings', '');
});

afterAll(async () => {
  await dataSource?.destroy();
  await h?.service.app.close();
  await h?.db.drop();
});

describe('Propertybase listing import', () => {
  it('is idempotent by Salesforce Id, normalises, and counts exactly the rows that changed', async () => {
    const dry = await run(SAMPLE, true);
    expect(await n(`SELECT count(*) AS n FROM listings.listing`)).toBe(0);
    expect(await n(`SELECT count(*) AS n FROM listings.outbox`)).toBe(0);
    const first = await run(SAMPLE);
    expect(first.summary).toMatchObject({ rows: 200, created: dry.summary.created, updated: 0, unchanged: 0, invalid: dry.summary.invalid });
    expect(first.summary.created + first.summary.invalid).toBe(200);
    const created = await n(`SELECT count(*) AS n FROM listings.listing`);
    expect(created).toBe(first.summary.created);
    expect(await n(`SELECT count(*) AS n FROM listings.outbox WHERE type = 'listings.listing-created.v1'`)).toBe(created);
    // Row 2 of the sample: "2,650,000" AED, Dubai, Business Bay, a landlord phone written 00971….
    const [row2] = await h.sql<{ price_fils: string; emirate: string; community: string; landlord_phone: string; reference: string; status: string }>(
      `SELECT price_fils, emirate, community, landlord_phone, reference, status FROM listings.listing WHERE salesforce_id = 'a0X5g00000000001AA'`,
    );
    expect(row2).toMatchObject({ price_fils: '265000000', emirate: 'dubai', community: 'Business Bay', landlord_phone: '+971502909512', status: 'under_offer' });
    expect(row2.reference).toMatch(/^ALS-S-\d{6}$/);
    expect(await n(`SELECT count(DISTINCT community) AS n FROM listings.listing WHERE community ILIKE '%marina%' OR community ILIKE 'marsa%'`)).toBe(1);

    const second = await run(SAMPLE);
    expect(second.summary).toMatchObject({ created: 0, updated: 0, unchanged: created });
    expect(await n(`SELECT count(*) AS n FROM listings.listing`)).toBe(created);

    // A price change on two rows: updated 2, a price history row and listing-updated (price) each.
    const lines = readFileSync(SAMPLE, 'utf8').split('\r\n');
    lines[1] = lines[1].replace('"2,650,000"', '"2,700,000"');
    const third = lines.findIndex((l) => l.startsWith('a0X5g00000000002AA'));
    lines[third] = lines[third].replace('"AED 2,450,000"', '2.5M');
    const changed = path.join(dir, 'changed.csv');
    writeFileSync(changed, lines.join('\r\n'));
    const again = await run(changed);
    expect(again.summary).toMatchObject({ created: 0, updated: 2, unchanged: created - 2 });
    const events: { data: string }[] = await dataSource.query(`SELECT data FROM listings.outbox WHERE type = 'listings.listing-updated.v1'`);
    expect(events).toHaveLength(2);
    expect(events.map((e) => JSON.parse(e.data).payload.changedFields)).toEqual([['price'], ['price']]);
    expect(await n(`SELECT count(*) AS n FROM listings.listing_price p JOIN listings.listing l ON l.id = p.listing_id WHERE l.salesforce_id = 'a0X5g00000000001AA'`)).toBe(2);
  });

  it('rollback deletes exactly the batch it names, with listing-deleted events; other batches and hand-made listings stay', async () => {
    const file = (name: string, ids: string[]) => {
      const [header, row] = readFileSync(SAMPLE, 'utf8').split('\r\n');
      const p = path.join(dir, name);
      writeFileSync(p, [header, ...ids.map((id) => row.replace('a0X5g00000000001AA', id))].join('\r\n'));
      return p;
    };
    const handMade = await h.as('sara').post('/listings', completeListing());
    expect(handMade.status).toBe(201);
    const a = await run(file('a.csv', ['a0X000000000RBA001', 'a0X000000000RBA002']));
    const b = await run(file('b.csv', ['a0X000000000RBB001']));
    const aIds: string[] = (await dataSource.query(`SELECT id FROM listings.listing WHERE import_batch_id = $1 ORDER BY id`, [a.summary.batchId])).map((r: { id: string }) => r.id);
    expect(aIds).toHaveLength(2);
    const total = await n(`SELECT count(*) AS n FROM listings.listing`);

    expect(await rollbackListingsBatch(db, outbox, a.summary.batchId)).toMatchObject({ deleted: 2 });
    expect(await n(`SELECT count(*) AS n FROM listings.listing`)).toBe(total - 2);
    expect(await n(`SELECT count(*) AS n FROM listings.listing WHERE id = $1`, [handMade.body.id])).toBe(1);
    expect(await n(`SELECT count(*) AS n FROM listings.listing WHERE import_batch_id = $1`, [b.summary.batchId])).toBe(1);
    expect(await n(`SELECT count(*) AS n FROM listings.listing_price WHERE listing_id = ANY($1)`, [aIds])).toBe(0);
    const deleted: { aggregate_id: string; data: string }[] = await dataSource.query(`SELECT aggregate_id, data FROM listings.outbox WHERE type = 'listings.listing-deleted.v1' ORDER BY aggregate_id`);
    expect(deleted.map((d) => d.aggregate_id)).toEqual(aIds);
    expect(JSON.parse(deleted[0].data)).toMatchObject({ aggregateVersion: '2', payload: { listingId: aIds[0], version: '2', reason: 'import-rollback', importBatchId: a.summary.batchId } });
    expect(await n(`SELECT count(*) AS n FROM listings.listing_audit WHERE action = 'import-rollback'`)).toBe(2);
    // Tombstones for the sync feed (the listings' AFTER DELETE trigger).
    expect(await n(`SELECT count(*) AS n FROM listings.tombstone WHERE entity = 'listing' AND id = ANY($1)`, [aIds])).toBe(2);
    expect((await h.as('sara').get(`/listings/${aIds[0]}`)).status).toBe(404);
    await expect(rollbackListingsBatch(db, outbox, a.summary.batchId)).rejects.toThrow(/was rolled back/);
  });

  it('refuses a listings import without an agent, and a mapping naming an unknown field, with one clear message', async () => {
    await expect(importListings(db, outbox, { file: SAMPLE, out: null })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--agent/) });
    const mapping = path.join(dir, 'map.json');
    writeFileSync(mapping, JSON.stringify({ columns: { price: 'Asking_Price__c', colour: 'Colour__c' } }));
    await expect(importListings(db, outbox, { file: SAMPLE, agentId: AGENT, mappingFile: mapping, out: null })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/columns\.colour: not a field/),
    });
  });
});
