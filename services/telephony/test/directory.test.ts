import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { PubSub } from '@google-cloud/pubsub';
import { ApplicantCreatedSchema } from '@pace/contracts';
import { encodeEnvelope } from '@pace/events';
import { type RunningService } from '@pace/platform';
import { type TestDatabase, api, applicantsOverGrpc, createTestDatabase, grpcTestEnv, startTestService, stopAll, testBusEnv, eventually } from '@pace/testing';
import { applicantsService } from '../../applicants/src/service';
import { telephonyService } from '../src/service';

// Two services, one emulator: an applicant created over gRPC (as the gateway does) reaches telephony's directory
// through outbox → Pub/Sub → inbox.
let db: TestDatabase;
let applicants: RunningService;
let telephony: RunningService;
let bus: Record<string, string>;
let grpc: ReturnType<typeof applicantsOverGrpc>;


beforeAll(async () => {
  db = await createTestDatabase();
  bus = testBusEnv();
  telephony = await startTestService(telephonyService, { DATABASE_URL: db.url, ...bus });
  const grpcEnv = await grpcTestEnv();
  applicants = await startTestService(applicantsService, { DATABASE_URL: db.url, ...bus, ...grpcEnv });
  grpc = applicantsOverGrpc(grpcEnv.GRPC_PORT);
});

afterAll(async () => {
  grpc.close();
  await stopAll(telephony, applicants);
  await db.drop();
});

const lookup = (phone: string) => api(telephony.url).get(`/directory?phone=${encodeURIComponent(phone)}`);

describe('phone directory fed by applicant events', () => {
  it('finds a new applicant by phone within a second, however the number is written', async () => {
    const created = await grpc.create({ firstName: 'Mariam', lastName: 'Nasser', phones: ['+971 52 111 2233'] });
    const started = Date.now();
    const found = await eventually(() => lookup('052-111-2233'), (r) => r.body.matches?.length > 0, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(found.body).toEqual({ phone: '+971521112233', matches: [{ applicantId: created.id, displayName: 'Mariam Nasser' }] });
  });

  it('follows phone changes, and a stale event delivered late does not undo them', async () => {
    const created = await grpc.create({ firstName: 'Khalid', lastName: 'Rahman', phones: ['0553334444'] });
    const updated = await grpc.update(created.id, { version: 1, phones: ['0556667777'] });
    expect(updated.version).toBe(2);
    await eventually(() => lookup('0556667777'), (r) => r.body.matches?.length === 1);
    expect((await lookup('0553334444')).body.matches).toEqual([]);

    // Replay the version-1 snapshot as a brand-new event (as a delayed redelivery would arrive).
    const pubsub = new PubSub({ projectId: 'pace-test' });
    const stale = create(ApplicantCreatedSchema, {
      applicant: { id: created.id, firstName: 'Khalid', lastName: 'Rahman', phones: ['+971553334444'], version: 1n, createdAt: timestampFromDate(new Date()) },
    });
    const data = encodeEnvelope(ApplicantCreatedSchema, stale, {
      eventId: '01a22272-0000-7000-8000-000000000001',
      type: 'applicants.applicant-created.v1',
      aggregateId: created.id,
      aggregateVersion: 1,
      occurredAt: new Date(),
      producer: 'test',
      traceparent: '',
    });
    await pubsub.topic(`${bus.EVENTS_NAMESPACE}pace.applicants.v1`).publishMessage({ data: Buffer.from(data), attributes: { type: 'applicants.applicant-created.v1' } });
    await pubsub.close();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await lookup('0553334444')).body.matches).toEqual([]);
    expect((await lookup('0556667777')).body.matches).toHaveLength(1);
  });

  it('rejects an edit of an old version as a conflict and publishes nothing', async () => {
    const created = await grpc.create({ firstName: 'Sara', lastName: 'Ali', phones: ['0501230000'] });
    await grpc.update(created.id, { version: 1, lastName: 'Ali Hassan' });
    await expect(grpc.update(created.id, { version: 1, phones: ['0509990000'] })).rejects.toMatchObject({ code: 'version-conflict', details: { currentVersion: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await lookup('0509990000')).body.matches).toEqual([]);
  });

  it('answers 400 for something that is not a phone number', async () => {
    const res = await lookup('hello');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('phone');
  });
});

