import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type Caller, runAsCaller } from '@pace/auth';
import { Db, createDataSource } from '@pace/database';
import { type TestDatabase, createTestDatabase } from '@pace/testing';
import { ApplicantEntity } from '../src/applicants/applicant.entity';
import { ApplicantsRepository } from '../src/applicants/applicants.repository';
import { applicantsService } from '../src/service';

/**
 * The read by id is hand-written SQL (a prepared statement returning the row as JSON) for speed.
 * It must give exactly the entity TypeORM gives, for every column the entity has — a column added
 * to the entity and forgotten in that SQL fails here — and apply the same visibility.
 */
let db: TestDatabase;
let dataSource: DataSource;
let repo: ApplicantsRepository;
const owner = randomUUID();
const team = randomUUID();
const id = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = createDataSource(applicantsService.db, db.url, 4);
  await dataSource.initialize();
  repo = new ApplicantsRepository(new Db(dataSource));
  // Every column set to a value that is not its default, so a missing one cannot pass as null.
  await dataSource.getRepository(ApplicantEntity).insert({
    id, firstName: 'Layla', lastName: 'Haddad', phones: ['+971501234567'], emails: ['layla@example.ae'], ownerId: owner, teamId: team,
    status: 'lost', lostReason: 'bought elsewhere', source: 'import', tags: ['vip'], preferredLanguage: 'ar', nationality: 'AE',
    whatsappOptIn: true, emailOptIn: true, intent: 'buy', propertyTypes: ['villa'], bedroomsMin: 3, bedroomsMax: 5,
    budgetMinFils: '900000000', budgetMaxFils: '1200000000', communities: ['arabian ranches'], furnishing: 'furnished',
    moveInDate: '2027-03-01', mergedInto: randomUUID(), version: 7, salesforceId: '003ABCDEFGHIJKL', importBatchId: randomUUID(), importHash: 'h1',
  } as never);
});

afterAll(async () => {
  await dataSource?.destroy();
  await db.drop();
});

const admin: Caller = { kind: 'user', id: randomUUID(), role: 'admin', teamIds: [] };

it('reads every column exactly as TypeORM does, in and out of a transaction', async () => {
  const expected = await dataSource.getRepository(ApplicantEntity).findOneByOrFail({ id });
  const columns = dataSource.getMetadata(ApplicantEntity).columns.filter((c) => c.isSelect).map((c) => c.propertyName);
  expect(columns.every((c) => (expected as unknown as Record<string, unknown>)[c] !== null)).toBe(true);
  const read = await runAsCaller(admin, () => repo.findById(id));
  expect(read).toStrictEqual(expected);
  const inTransaction = await runAsCaller(admin, () => new Db(dataSource).transaction(() => new ApplicantsRepository(new Db(dataSource)).findById(id)));
  expect(inTransaction).toBeInstanceOf(ApplicantEntity);
});

it.each([
  ['the owner', true, { kind: 'user', id: owner, role: 'agent', teamIds: [] } as Caller],
  ['another agent of the team', false, { kind: 'user', id: randomUUID(), role: 'agent', teamIds: [team] } as Caller],
  ['the team\'s manager', true, { kind: 'user', id: randomUUID(), role: 'manager', teamIds: [team] } as Caller],
  ['another team\'s manager', false, { kind: 'user', id: randomUUID(), role: 'manager', teamIds: [randomUUID()] } as Caller],
  ['a token with applicants:read', true, { kind: 'service', id: randomUUID(), name: 'adapter', scopes: ['applicants:read'] } as Caller],
])('applies visibility: %s sees it: %s', async (_who, sees, caller) => {
  expect((await runAsCaller(caller, () => repo.findById(id)))?.id ?? null).toBe(sees ? id : null);
});
