import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { createDataSource, quoteIdent, runMigrations, withDatabase } from '@pace/database';
import { freePort } from '@pace/testing';
import { syndicationService } from '../../services/syndication/src/service';
import { renderBayutListing } from '../../services/syndication/src/bayut/feed.writer';
import type { ProjectedListing } from '../../services/syndication/src/projection/listing.model';
import { hashToken } from '../../services/syndication/src/settings/settings.service';
import { waitReady } from '../util';

/**
 * bench/feed: the Bayut feed (`GET /feeds/bayut/{token}.xml`, streamed from the projection through
 * a cursor, XML built with xmlbuilder2, identity and gzip) against PostgreSQL's own
 * `COPY (SELECT …) TO STDOUT` of the same rows, in one run, on BENCH_LISTINGS (20000) listings
 * with 10 images each; plus the 304 path (If-None-Match). The service runs as its own process;
 * its resident memory is sampled from /proc during each pull (goal: growth ≤ 64 MB whatever the
 * size) and the feed's time is printed as a ratio to COPY's (goal ≤ 2×).
 *
 *   npm run build && node dist/bench/feed/main.js
 *
 * BENCH_LISTINGS (20000), BENCH_ROUNDS (5), BENCH_DATABASE_URL (default the local PostgreSQL).
 */
const COUNT = Number(process.env.BENCH_LISTINGS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `pace_bench_feed_${process.pid}`;
const TOKEN = randomBytes(24).toString('base64url');

// The feed's own SELECT (FeedRepository.properties: each row a finished <Property>), for COPY's
// default text format here; the feed reads the same through binary COPY.
const FEED_ROWS = `SELECT '<Property>' || p.document
    || '<Property_Status>' || CASE WHEN p.state = 'live' THEN 'live' ELSE 'deleted' END || '</Property_Status>'
    || '<Last_Updated>' || to_char(CASE WHEN p.state = 'live' THEN (l.data->>'updatedAt')::timestamptz ELSE p.changed_at END AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '</Last_Updated>'
    || '<Portals><Portal>Bayut</Portal><Portal>dubizzle</Portal></Portals><Listing_Agent><![CDATA[Allsop & Allsop]]></Listing_Agent><Listing_Agent_Email><![CDATA[listings@allsop.test]]></Listing_Agent_Email>' || '</Property>'
  FROM syndication.publication p JOIN syndication.listing l ON l.id = p.listing_id
  WHERE p.portal = 'bayut' AND p.document IS NOT NULL AND (p.state = 'live' OR (p.live_since IS NOT NULL AND p.changed_at > now() - interval '48 hours'))
  ORDER BY l.reference`;

function seedSql(n: number): string {
  return `
INSERT INTO syndication.listing (id, reference, version, status, data, projected_at)
SELECT id, ref, 1, 'published', jsonb_build_object(
  'id', id, 'reference', ref, 'status', 'published',
  'purpose', CASE WHEN i % 3 = 0 THEN 'rent' ELSE 'sale' END, 'rentFrequency', CASE WHEN i % 3 = 0 THEN 'yearly' ELSE '' END,
  'category', 'residential', 'propertyType', (ARRAY['apartment','villa','townhouse','penthouse'])[1 + i % 4],
  'priceFils', 100000000 + i * 1000, 'currency', 'AED', 'bedrooms', i % 6, 'bathrooms', 1 + i % 5, 'sizeSqft', 600 + i % 3000, 'plotSizeSqft', null,
  'emirate', 'dubai', 'community', (ARRAY['Dubai Marina','Downtown Dubai','Jumeirah Village Circle','Palm Jumeirah'])[1 + i % 4],
  'subCommunity', 'Cluster ' || (i % 40), 'building', 'Tower ' || (i % 300),
  'titleEn', 'Bright ' || (1 + i % 6) || '-bed home with a marina view, no. ' || i, 'titleAr', 'شقة مشرقة بإطلالة على المارينا ' || i,
  'descriptionEn', repeat('Spacious unit near the tram, vacant on transfer & ready to move in. ', 12), 'descriptionAr', repeat('شقة واسعة قريبة من الترام. ', 12),
  'amenities', '["balcony","shared-pool","covered-parking","central-ac"]'::jsonb, 'furnishing', 'unfurnished', 'completionStatus', 'ready',
  'permit', jsonb_build_object('number', (7100000000 + i)::text, 'type', 'rera', 'issueDate', '2026-01-01', 'expiryDate', '2099-01-01'),
  'agentId', '0190a6b2-0000-7000-8000-000000000001', 'teamId', '', 'portals', '["bayut","propertyfinder","website"]'::jsonb,
  'media', (SELECT jsonb_agg(jsonb_build_object('kind', 'image', 'position', k, 'url', 'https://cdn.pace.test/media/' || i || '/' || k || '.jpg', 'contentType', 'image/jpeg')) FROM generate_series(0, 9) k),
  'version', 1, 'updatedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"')), now()
FROM (SELECT i, gen_random_uuid() AS id, 'ALS-S-' || lpad(i::text, 6, '0') AS ref FROM generate_series(1, ${n}) i) s;
INSERT INTO syndication.publication (id, listing_id, portal, desired_state, state, live_since, synced_version, version, changed_at)
SELECT gen_random_uuid(), id, 'bayut', 'published', 'live', now(), 1, 1, now() FROM syndication.listing;
INSERT INTO syndication.portal_setting (portal, enabled, options, access_token_hash, access_token_rotated_at)
VALUES ('bayut', true, '{"agentName":"Allsop & Allsop","agentEmail":"listings@allsop.test"}', '${hashToken(TOKEN)}', now());
ANALYZE;`;
}

const rssOf = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
};

/** GETs `url`, counting bytes without keeping them; samples the service's RSS meanwhile. */
function pull(url: string, headers: Record<string, string>, pid: number): Promise<{ status: number; bytes: number; ms: number; peakRss: number; startRss: number }> {
  return new Promise((resolve, reject) => {
    const startRss = rssOf(pid);
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid))), 5);
    const t = process.hrtime.bigint();
    const req = request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => {
        clearInterval(sampler);
        peakRss = Math.max(peakRss, rssOf(pid));
        resolve({ status: res.statusCode ?? 0, bytes, ms: Number(process.hrtime.bigint() - t) / 1e6, peakRss, startRss });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function copy(client: Client): Promise<{ bytes: number; ms: number }> {
  const t = process.hrtime.bigint();
  const stream = client.query(copyTo(`COPY (${FEED_ROWS}) TO STDOUT`));
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return { bytes, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(dbName)}`);
  const url = withDatabase(adminUrl, dbName);
  let service: ChildProcess | undefined;
  const client = new Client({ connectionString: url });
  try {
    const t0 = Date.now();
    const ds = createDataSource(syndicationService.db, url, 2);
    await ds.initialize();
    await runMigrations(ds);
    await ds.query(seedSql(COUNT));
    // Each live Bayut publication carries its rendered tags, as the projection writes them.
    for (let offset = 0; offset < COUNT; offset += 2000) {
      const rows = (await ds.query(`SELECT id, data FROM syndication.listing ORDER BY id OFFSET $1 LIMIT 2000`, [offset])) as { id: string; data: ProjectedListing }[];
      await ds.query(
        `UPDATE syndication.publication p SET document = d.document FROM unnest($1::uuid[], $2::text[]) AS d(id, document) WHERE p.listing_id = d.id AND p.portal = 'bayut'`,
        [rows.map((r) => r.id), rows.map((r) => renderBayutListing(r.data))],
      );
    }
    await ds.query('ANALYZE');
    await ds.destroy();
    console.log(`seeded ${COUNT} listings (10 images each) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await client.connect();

    const port = await freePort();
    service = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), path.join(__dirname, '../../services/syndication/src/main.js')], {
      env: { PATH: process.env.PATH, DATABASE_URL: url, PORT: String(port), LOG_LEVEL: 'warn', EVENT_BUS: 'memory', OUTBOX_LISTEN: 'false', MIGRATE_ON_START: 'false', SYNDICATION_WORKER_POLL_MS: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitReady(`${base}/health/ready`);
    const feed = `${base}/feeds/bayut/${TOKEN}.xml`;
    const pid = service.pid!;

    // Warm up both paths (JIT, caches, the pool).
    await copy(client);
    const warm = await pull(feed, {}, pid);
    await pull(feed, { 'accept-encoding': 'gzip' }, pid);
    if (warm.status !== 200) throw new Error(`feed answered ${warm.status}`);

    const runs = { copy: [] as number[], feed: [] as number[], gzip: [] as number[], feedGrowth: [] as number[], gzipGrowth: [] as number[] };
    let sizes = { copy: 0, feed: 0, gzip: 0 };
    const baseRss = rssOf(pid);
    for (let r = 0; r < ROUNDS; r++) {
      const c = await copy(client);
      const f = await pull(feed, {}, pid);
      const g = await pull(feed, { 'accept-encoding': 'gzip' }, pid);
      runs.copy.push(c.ms);
      runs.feed.push(f.ms);
      runs.gzip.push(g.ms);
      runs.feedGrowth.push(f.peakRss - f.startRss);
      runs.gzipGrowth.push(g.peakRss - g.startRss);
      sizes = { copy: c.bytes, feed: f.bytes, gzip: g.bytes };
    }
    const etag = (await fetch(feed, { method: 'GET' }).then(async (r) => (await r.arrayBuffer(), r.headers.get('etag'))))!;
    const notModified: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await pull(feed, { 'if-none-match': etag }, pid);
      if (res.status !== 304) throw new Error(`expected 304, got ${res.status}`);
      notModified.push(res.ms);
    }
    const peak = Math.max(...runs.feedGrowth, ...runs.gzipGrowth);
    console.log(`\n${COUNT} listings, median of ${ROUNDS} interleaved rounds (service RSS before the rounds: ${mb(baseRss)})\n`);
    console.log('path'.padEnd(44), 'time'.padStart(10), 'bytes'.padStart(12), ' vs COPY', '  RSS growth (max)');
    console.log(`${'COPY (SELECT …) TO STDOUT (same rows)'.padEnd(44)} ${`${median(runs.copy).toFixed(0)} ms`.padStart(10)} ${mb(sizes.copy).padStart(12)}    1.00×`);
    console.log(`${'GET feed (identity)'.padEnd(44)} ${`${median(runs.feed).toFixed(0)} ms`.padStart(10)} ${mb(sizes.feed).padStart(12)} ${(median(runs.feed) / median(runs.copy)).toFixed(2).padStart(7)}×  ${mb(Math.max(...runs.feedGrowth)).padStart(10)}`);
    console.log(`${'GET feed (gzip)'.padEnd(44)} ${`${median(runs.gzip).toFixed(0)} ms`.padStart(10)} ${mb(sizes.gzip).padStart(12)} ${(median(runs.gzip) / median(runs.copy)).toFixed(2).padStart(7)}×  ${mb(Math.max(...runs.gzipGrowth)).padStart(10)}`);
    console.log(`${'GET feed, If-None-Match (304)'.padEnd(44)} ${`${median(notModified).toFixed(1)} ms`.padStart(10)} ${'0'.padStart(12)} ${(median(notModified) / median(runs.copy)).toFixed(3).padStart(7)}×`);
    console.log(`\ngoals: feed ≤ 2× COPY (${median(runs.feed) / median(runs.copy) <= 2 ? 'met' : 'NOT met'} identity, ${median(runs.gzip) / median(runs.copy) <= 2 ? 'met' : 'NOT met'} gzip); RSS growth ≤ 64 MB (${peak <= 64 * 1024 * 1024 ? 'met' : 'NOT met'}: ${mb(peak)})`);
  } finally {
    service?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
