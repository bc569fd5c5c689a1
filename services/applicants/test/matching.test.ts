import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { type Caller, runAsCaller } from '@pace/auth';
import { ListingSnapshotSchema } from '@pace/contracts';
import { Db } from '@pace/database';
import { VersionConflictError } from '@pace/http';
import { type RunningService } from '@pace/platform';
import { type TestDatabase, createTestDatabase, grpcTestEnv, startTestService, stopAll } from '@pace/testing';
import { createApplicantBody, updateApplicantBody } from '../src/applicants/applicant.dto';
import { ApplicantEntity } from '../src/applicants/applicant.entity';
import { ApplicantsService } from '../src/applicants/applicants.service';
import { ListingProjectionEntity } from '../src/matching/listing-projection.entity';
import { ApplicantMatchEntity } from '../src/matching/match.entity';
import { evaluate } from '../src/matching/matching.rules';
import { MatchingService, matchApplicant, matchListing } from '../src/matching/matching.service';
import { applicantsService } from '../src/service';

/**
 * Matching inside the applicants service, against a real database: the projection's version
 * check, and concurrent listing snapshots and applicant edits ending where a recompute from
 * scratch ends (the advisory lock's promise). Listing snapshots go through the handler's service
 * in a transaction of their own, as the inbox runs them.
 */
let db: TestDatabase;
let service: RunningService;
let dbs: Db;
let matching: MatchingService;
let applicants: ApplicantsService;
const team = randomUUID();
const agent: Caller = { kind: 'user', id: randomUUID(), role: 'agent', teamIds: [team] };

beforeAll(async () => {
  db = await createTestDatabase();
  service = await startTestService(applicantsService, { DATABASE_URL: db.url, EVENT_BUS: 'memory', ...(await grpcTestEnv()), DATABASE_POOL_SIZE: '20' });
  dbs = service.app.get(Db);
  matching = service.app.get(MatchingService);
  applicants = service.app.get(ApplicantsService);
});

afterAll(async () => {
  await stopAll(service);
  await db.drop();
});

function snapshot(id: string, version: number, o: { status?: string; bedrooms?: number; priceFils?: number; community?: string } = {}) {
  return create(ListingSnapshotSchema, {
    id,
    reference: `ALS-S-${String(version).padStart(6, '0')}`,
    status: o.status ?? 'published',
    purpose: 'sale',
    propertyType: 'apartment',
    price: { amountFils: BigInt(o.priceFils ?? 250_000_000), currency: 'AED' },
    bedrooms: o.bedrooms ?? 2,
    location: { emirate: 'dubai', community: o.community ?? 'Dubai Marina', subCommunity: 'Marina Promenade', building: 'Delphine Tower' },
    title: { en: 'Two-bedroom apartment', ar: '' },
    furnishing: 'unfurnished',
    completionStatus: 'ready',
    agentId: agent.id,
    teamId: team,
    version: BigInt(version),
  });
}

const apply = (s: ReturnType<typeof snapshot>) => dbs.transaction(() => matching.applyListing(s));

const createApplicant = (n: number, requirements: Record<string, unknown>) =>
  runAsCaller(agent, () => applicants.create(createApplicantBody.parse({ firstName: `Buyer${n}`, lastName: 'Concurrent', phones: [`+9715011${String(n).padStart(5, '0')}`], requirements })));

describe('the listing projection', () => {
  it('applies a newer snapshot and ignores an older one that arrives late', async () => {
    const id = randomUUID();
    expect(await apply(snapshot(id, 2, { bedrooms: 3 }))).toBe('applied');
    expect(await apply(snapshot(id, 1, { bedrooms: 1 }))).toBe('stale');
    expect(await apply(snapshot(id, 2, { bedrooms: 1 }))).toBe('stale');
    const row = await dbs.repository(ListingProjectionEntity).findOneByOrFail({ id });
    expect({ version: row.version, bedrooms: row.bedrooms, comparable: row.comparablePriceFils }).toEqual({ version: '2', bedrooms: 3, comparable: '250000000' });
  });
});

describe('a listing deleted for good (listings.listing-deleted.v1, an import rolled back)', () => {
  it('takes its matches away; a deletion older than the projection changes nothing', async () => {
    const buyer = (await createApplicant(900, { intent: 'buy', propertyTypes: ['apartment'], communities: ['Dubai Marina'], bedroomsMin: 2, bedroomsMax: 3, budgetMaxFils: 300_000_000 })).applicant;
    const id = randomUUID();
    await apply(snapshot(id, 3));
    const matchesOf = () => dbs.repository(ApplicantMatchEntity).findBy({ listingId: id });
    expect((await matchesOf()).map((m) => m.applicantId)).toEqual([buyer.id]);
    await dbs.transaction(() => matching.removeListing(id, 2));
    expect(await matchesOf()).toHaveLength(1);
    await dbs.transaction(() => matching.removeListing(id, 4));
    expect(await matchesOf()).toEqual([]);
    expect((await dbs.repository(ListingProjectionEntity).findOneByOrFail({ id })).status).toBe('deleted');
    // A late snapshot from before the deletion does not bring it back.
    expect(await apply(snapshot(id, 3))).toBe('stale');
  });
});

describe('concurrent listing snapshots and applicant edits', () => {
  it('end with exactly the matches a recompute from scratch gives', async () => {
    const base = { intent: 'buy', propertyTypes: ['apartment'], communities: ['Dubai Marina'] };
    const buyers = [];
    for (let n = 0; n < 8; n++) buyers.push((await createApplicant(n, { ...base, bedroomsMin: 1 + (n % 3), bedroomsMax: 2 + (n % 3), budgetMaxFils: 200_000_000 + n * 20_000_000 })).applicant);
    const listings = Array.from({ length: 6 }, () => randomUUID());
    const work: Promise<unknown>[] = [];
    for (let round = 1; round <= 4; round++) {
      listings.forEach((id, i) => work.push(apply(snapshot(id, round, { bedrooms: 1 + ((i + round) % 4), priceFils: 180_000_000 + ((i * 7 + round * 3) % 10) * 15_000_000, status: (i + round) % 5 === 0 ? 'under_offer' : 'published' }))));
      buyers.forEach((b, n) =>
        work.push(
          runAsCaller(agent, async () => {
            const current = await applicants.get(b.id);
            return applicants.update(b.id, updateApplicantBody.parse({ version: current.version, requirements: { ...current.requirements, bedroomsMin: 1 + ((n + round) % 3), bedroomsMax: 2 + ((n + round) % 3) } }));
          }).catch((error: Error) => (error instanceof VersionConflictError ? undefined : Promise.reject(error))),
        ),
      );
    }
    await Promise.all(work);

    const [people, advertised, stored] = await Promise.all([
      dbs.repository(ApplicantEntity).find(),
      dbs.repository(ListingProjectionEntity).find(),
      dbs.repository(ApplicantMatchEntity).find(),
    ]);
    const expected = people.flatMap((a) => advertised.flatMap((l) => (evaluate(matchApplicant(a), matchListing(l)) ? [`${a.id}/${l.id}`] : [])));
    expect(expected.length).toBeGreaterThan(0);
    expect(stored.map((m) => `${m.applicantId}/${m.listingId}`).sort()).toEqual(expected.sort());
    const scores = new Map(stored.map((m) => [`${m.applicantId}/${m.listingId}`, m.score]));
    for (const a of people) for (const l of advertised) {
      const m = evaluate(matchApplicant(a), matchListing(l));
      if (m) expect(scores.get(`${a.id}/${l.id}`)).toBe(m.score);
    }
  });
});
