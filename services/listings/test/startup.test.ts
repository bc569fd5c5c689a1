import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { type TestDatabase, createTestDatabase, startTestService, stopAll } from '@pace/testing';
import { listingsService } from '../src/service';
import { headersOf } from './fixtures';

const main = path.resolve(__dirname, '../../../dist/services/listings/src/main.js');

describe('starting the listings service', () => {
  it('fails with one message naming every missing and invalid variable', () => {
    const env = { PATH: process.env.PATH, LISTINGS_MEDIA_STORE: 's3', LISTINGS_REFERENCE_PREFIX: 'als', CALLER_SIGNING_SECRET: 'short' };
    const run = spawnSync(process.execPath, [main], { env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid environment for listings: /);
    for (const name of ['DATABASE_URL is missing', 'LISTINGS_MEDIA_STORE is invalid', 'LISTINGS_REFERENCE_PREFIX is invalid', 'CALLER_SIGNING_SECRET is invalid']) {
      expect(lines[0]).toContain(name);
    }
    expect(lines[0]).not.toContain('short');
  });

  describe('without a caller-signing secret', () => {
    let db: TestDatabase;
    let service: Awaited<ReturnType<typeof startTestService>>;

    beforeAll(async () => {
      db = await createTestDatabase();
      service = await startTestService(listingsService, { DATABASE_URL: db.url, EVENT_BUS: 'memory', LISTINGS_PERMIT_SWEEP_CHECK_MS: '0' });
    });

    afterAll(async () => {
      await stopAll(service);
      await db.drop();
    });

    it('serves health but refuses every API call (fails closed)', async () => {
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
      expect((await fetch(`${service.url}/listings`, { headers: headersOf('admin') })).status).toBe(401);
    });
  });
});
