import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Controller, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type Message, PubSub, type Subscription } from '@google-cloud/pubsub';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '@pace/database';
import { type ApplicantCreated, ApplicantCreatedSchema } from '@pace/contracts';
import { type DomainEvent, encodeEnvelope, eventEntities } from '@pace/events';
import { type RunningService, type ServiceDefinition, baseEnv, platformImports } from '@pace/platform';
import { type TestDatabase, createTestDatabase, startTestService, stopAll, testBusEnv } from '@pace/testing';

// A consumer whose handler fails on purpose for some events, driven through the real transport,
// the real inbox table and the emulator. Its effect is a row in a table (so it commits or rolls
// back with the inbox row, like any real handler's).
@Controller()
class ProbeHandler {
  constructor(private readonly db: Db) {}

  @EventPattern<string>('applicants.applicant-created.v1')
  async handle(@Payload() event: DomainEvent<ApplicantCreated>): Promise<void> {
    const started = Date.now();
    await this.db.manager.query('INSERT INTO telephony.probe_effect (event_id) VALUES ($1)', [event.eventId]);
    if (event.payload.applicant?.firstName === 'Slow') await new Promise((resolve) => setTimeout(resolve, 400));
    handling.push({ aggregateId: event.aggregateId, eventId: event.eventId, started, ended: Date.now() });
    if (event.payload.applicant?.firstName === 'Explode') throw new Error(`cannot handle ${event.aggregateId}`);
  }
}

/** When each handler call ran, to see whether two events of one aggregate overlapped. */
const handling: { aggregateId: string; eventId: string; started: number; ended: number }[] = [];

/** How many times each event's effect is committed. */
async function effects(): Promise<Map<string, number>> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query<{ event_id: string; n: number }>('SELECT event_id, count(*)::int AS n FROM telephony.probe_effect GROUP BY event_id');
  await client.end();
  return new Map(rows.map((r) => [r.event_id, r.n]));
}

@Module({ controllers: [ProbeHandler] })
class ProbeModule {}

const env = baseEnv.extend({});
const probe: ServiceDefinition<typeof env> = {
  name: 'probe',
  defaultPort: 0,
  namespace: 'pace-web',
  env,
  consumes: ['applicants'],
  // Borrows telephony's schema for its inbox table (the template database has it migrated).
  db: { service: 'telephony', database: 'pace', entities: [...eventEntities], migrations: [] },
  module: (config) => ({ module: ProbeModule, imports: platformImports(probe, config) }),
};

let db: TestDatabase;
let service: RunningService;
let bus: Record<string, string>;
let pubsub: PubSub;
let dlqSubscription: Subscription;
const deadLetters: Message[] = [];

function envelope(firstName: string, eventId = uuidv7(), id = uuidv7()): { eventId: string; data: string } {
  const payload = create(ApplicantCreatedSchema, {
    applicant: { id, firstName, lastName: 'Probe', phones: [], version: 1n, createdAt: timestampFromDate(new Date()) },
  });
  const fields = { eventId, type: 'applicants.applicant-created.v1', aggregateId: id, aggregateVersion: 1, occurredAt: new Date(), producer: 'test', traceparent: '' };
  return { eventId, data: encodeEnvelope(ApplicantCreatedSchema, payload, fields) };
}

const topic = () => pubsub.topic(`${bus.EVENTS_NAMESPACE}pace.applicants.v1`);
const send = (data: string) => topic().publishMessage({ data: Buffer.from(data), attributes: { type: 'applicants.applicant-created.v1' } });

async function until(condition: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  await client.query('CREATE TABLE telephony.probe_effect (event_id uuid NOT NULL)');
  await client.end();
  bus = testBusEnv();
  service = await startTestService(probe, { DATABASE_URL: db.url, MIGRATE_ON_START: 'false', ...bus });
  pubsub = new PubSub({ projectId: 'pace-test' });
  const dlq = `${bus.EVENTS_NAMESPACE}probe.pace.applicants.v1.dlq`;
  dlqSubscription = pubsub.subscription(dlq);
  dlqSubscription.on('message', (message: Message) => {
    deadLetters.push(message);
    message.ack();
  });
});

afterAll(async () => {
  await dlqSubscription.close();
  await pubsub.close();
  await stopAll(service);
  await db.drop();
});

describe('events transport', () => {
  it('has one effect for an event delivered twice', async () => {
    const event = envelope('Twice');
    await send(event.data);
    await send(event.data);
    await until(async () => (await effects()).get(event.eventId) === 1, 5000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await effects()).get(event.eventId)).toBe(1);
  });

  it('retries a failing handler, dead-letters it with the error after the last attempt, and keeps consuming others', async () => {
    const bad = envelope('Explode');
    await send(bad.data);
    const good = Array.from({ length: 10 }, (_, i) => envelope(`Fine${i}`));
    for (const event of good) await send(event.data);
    await until(async () => {
      const done = await effects();
      return good.every((e) => done.get(e.eventId) === 1);
    }, 10_000);
    await until(() => deadLetters.some((m) => m.attributes.eventId === bad.eventId || m.data.toString().includes(bad.eventId)), 60_000);
    const letter = deadLetters.find((m) => m.data.toString().includes(bad.eventId))!;
    expect(letter.attributes.error).toMatch(/^handler failed 5 times: cannot handle /);
    expect(letter.attributes.deliveryAttempt).toBe('5');
    const final = await effects();
    expect(final.has(bad.eventId)).toBe(false); // every attempt's effect rolled back
    expect(good.every((e) => final.get(e.eventId) === 1)).toBe(true);
  }, 90_000);

  it('handles one aggregate\'s events one at a time, even when they arrive in separate batches', async () => {
    // The second event arrives while the first one's handler is still running (a batch of its
    // own): it must wait, or a projection could be written by both at once and the older win.
    const aggregateId = uuidv7();
    const first = envelope('Slow', uuidv7(), aggregateId);
    const second = envelope('Quick', uuidv7(), aggregateId);
    await send(first.data);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await send(second.data);
    await until(() => [first, second].every((e) => handling.some((h) => h.eventId === e.eventId)), 10_000);
    const [a, b] = [first, second].map((e) => handling.find((h) => h.eventId === e.eventId)!);
    expect(b.started).toBeGreaterThanOrEqual(a.ended);
  });

  it('dead-letters malformed messages with the reason and survives them', async () => {
    await send('{ this is not json');
    const wrongPayload = envelope('Wrong').data.replace('"firstName":"Wrong"', '"firstName":42');
    await send(wrongPayload);
    await until(() => deadLetters.filter((m) => /not an event envelope|payload is not a valid/.test(m.attributes.error ?? '')).length >= 2, 10_000);
    const reasons = deadLetters.map((m) => m.attributes.error);
    expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^not an event envelope/), expect.stringMatching(/^payload is not a valid pace\.events\.v1\.ApplicantCreated/)]));
    const after = envelope('StillAlive');
    await send(after.data);
    await until(async () => (await effects()).get(after.eventId) === 1, 5000);
  });
});
