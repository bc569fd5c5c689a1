import { startTestService, stopAll, eventually } from '@pace/testing';
import { syndicationService } from '../src/service';
import { type Harness, snapshot, startHarness } from './harness';

// Push work survives what production throws at it: a lost answer, a restart mid-outage.
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.stop();
});

describe('Property Finder push under failure', () => {
  it('never creates a listing twice when PF created it but the answer was lost', async () => {
    // PF creates the draft but the answer is lost: once a 500, and on the client's retry a hang.
    h.pf.fail(1, 500, { afterApplying: true, only: 'POST /v1/listings' });
    h.pf.fail(1, 0, { afterApplying: true, only: 'POST /v1/listings' });
    const listing = snapshot();
    await h.emit('published', listing);
    const live = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live', 20_000);
    expect(live.propertyfinder.state).toBe('live');
    expect(h.pf.listings().filter((l) => l.reference === listing.reference)).toHaveLength(1);
    expect(h.pf.requests.filter((r) => r.method === 'POST' && r.url === '/v1/listings').length).toBeGreaterThanOrEqual(2);
  });

  it('finishes a publish job after a restart, with exactly one remote listing', async () => {
    h.pf.fail(40, 503);
    const listing = snapshot();
    await h.emit('published', listing);
    await eventually(() => h.status(listing.id), (s) => (s.propertyfinder?.attempts ?? 0) >= 1);
    // The process goes away mid-outage; the job row stays.
    await stopAll(h.service);
    expect(await h.sql(`SELECT 1 FROM syndication.publish_job WHERE listing_id = $1`, [listing.id])).toHaveLength(1);
    h.pf.heal(); // the outage ends while the service is down
    // Same port: PF's webhook subscriptions point at it.
    h.service = await startTestService(syndicationService, h.env, Number(new URL(h.service.url).port));
    const live = await eventually(() => h.status(listing.id), (s) => s.propertyfinder?.state === 'live', 30_000);
    expect(live.propertyfinder.state).toBe('live');
    expect(h.pf.listings().filter((l) => l.reference === listing.reference)).toHaveLength(1);
  });
});

describe('a lost Property Finder webhook', () => {
  let quiet: Harness;

  beforeAll(async () => {
    quiet = await startHarness({ silent: true }, { SYNDICATION_PF_CHECK_AFTER_MS: '500' });
  });

  afterAll(async () => {
    await quiet.stop();
  });

  it('is made up for by a check: a publish stuck in `publishing` is looked up and marked live', async () => {
    const listing = snapshot();
    await quiet.emit('published', listing);
    await eventually(() => quiet.status(listing.id), (s) => s.propertyfinder?.state === 'publishing');
    const live = await eventually(() => quiet.status(listing.id), (s) => s.propertyfinder?.state === 'live', 15_000);
    expect(live.propertyfinder).toMatchObject({ state: 'live', message: 'live (confirmed by a check: no webhook arrived)' });
    expect(quiet.pf.deliveries).toEqual([]);
    expect(quiet.pf.listings().filter((l) => l.reference === listing.reference)).toHaveLength(1);
  });
});
