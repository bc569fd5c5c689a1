import { create } from '@bufbuild/protobuf';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ApplicantCreatedSchema } from '@pace/contracts';
import { Db, createDataSource } from '@pace/database';
import { type Message, PubSub } from '@google-cloud/pubsub';
import { type BusMessage, type EventBus, Outbox, OutboxRelay, PubSubBus, topicOf } from '@pace/events';
import { runWithLogContext } from '@pace/logging';
import { type TestDatabase, createTestDatabase, testBusEnv } from '@pace/testing';
import { applicantsService } from '../../../services/applicants/src/service';

// The relay on Pub/Sub holds its claimed rows' locks while publishing. These drive it with a bus
// whose publish we control (to force failures and stalls of the broker), against the applicants
// outbox of a real database; what a message carries is checked on the real bus and the emulator.

const OPTIONS = { batchSize: 100, pollMs: 60_000, leaseMs: 1_000, retentionMs: 3_600_000, listen: false };

let db: TestDatabase;
const sources: DataSource[] = [];
let outbox: Outbox;
let writer: Db;

async function dataSource(): Promise<DataSource> {
  const ds = createDataSource(applicantsService.db, db.url, 3);
  await ds.initialize();
  sources.push(ds);
  return ds;
}

/** A Pub/Sub-kind bus: each publish waits `delayMs` (for ever when undefined) and fails the messages `fails` picks. */
function bus(published: string[], delayMs?: number, fails: (message: BusMessage) => boolean = () => false): EventBus {
  return {
    kind: 'pubsub',
    publish: async (messages) => {
      await new Promise((resolve) => (delayMs === undefined ? undefined : setTimeout(resolve, delayMs)));
      return messages.map((message): PromiseSettledResult<void> => {
        if (fails(message)) return { status: 'rejected', reason: new Error('broker says no') };
        published.push(message.attributes.eventId);
        return { status: 'fulfilled', value: undefined };
      });
    },
    subscribe: () => Promise.reject(new Error('not used')),
    provision: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

async function relay(eventBus: EventBus, leaseMs = OPTIONS.leaseMs): Promise<OutboxRelay> {
  return new OutboxRelay(new Db(await dataSource()), eventBus, { ...OPTIONS, leaseMs });
}

async function write(n: number): Promise<void> {
  await writer.transaction(async () => {
    const events = Array.from({ length: n }, () => {
      const id = uuidv7();
      return { schema: ApplicantCreatedSchema, payload: create(ApplicantCreatedSchema, { applicant: { id, firstName: 'R', lastName: 'Elay', version: 1n } }), aggregateId: id, aggregateVersion: 1 };
    });
    await outbox.publish(...events);
  });
}

async function pending(): Promise<number> {
  const rows: { n: number }[] = await writer.dataSource.query('SELECT count(*)::int AS n FROM applicants.outbox WHERE sent_at IS NULL');
  return rows[0].n;
}

/** Wakes the relays until nothing is pending (or the time is up). */
async function drain(...relays: OutboxRelay[]): Promise<void> {
  const until = Date.now() + 10_000;
  while ((await pending()) > 0 && Date.now() < until) {
    relays.forEach((r) => r.wake());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  Logger.overrideLogger(['error']); // the failed publishes below are expected
  db = await createTestDatabase();
  writer = new Db(await dataSource());
  outbox = new Outbox(writer, 'applicants', '');
});

afterEach(async () => {
  await writer.dataSource.query('UPDATE applicants.outbox SET sent_at = now() WHERE sent_at IS NULL');
});

afterAll(async () => {
  for (const ds of sources) await ds.destroy().catch(() => undefined);
  await db.drop();
});

describe('outbox relay on Pub/Sub', () => {
  it('never publishes a row twice while replicas publish side by side', async () => {
    await write(1000);
    const published: string[] = [];
    const replicas = [await relay(bus(published, 20)), await relay(bus(published, 20))];
    await drain(...replicas);
    expect(published).toHaveLength(1000);
    expect(new Set(published).size).toBe(1000);
    expect(replicas.every((r) => r.published > 0)).toBe(true);
  });

  it('keeps a failed publish pending with its attempt, error and backoff, and marks the rest sent', async () => {
    await write(20);
    let n = 0;
    const published: string[] = [];
    const r = await relay(bus(published, 0, () => n++ % 4 === 0));
    r.wake();
    await sleep(500);
    const rows: { attempts: number; last_error: string; waits: boolean }[] = await writer.dataSource.query(
      `SELECT attempts, last_error, next_attempt_at >= created_at + interval '0.8 s' AS waits FROM applicants.outbox WHERE sent_at IS NULL`,
    );
    expect(published).toHaveLength(15);
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.attempts === 1 && row.last_error === 'broker says no' && row.waits)).toBe(true);
  });

  it('leaves a stuck relay its rows until leaseMs, then another publishes them', async () => {
    await write(50);
    const stuck = await relay(bus([]));
    stuck.wake();
    await sleep(300);
    const published: string[] = [];
    const other = await relay(bus(published, 0));
    other.wake();
    await sleep(300);
    expect(published).toHaveLength(0);
    await sleep(1_000);
    await drain(other);
    expect(published).toHaveLength(50);
  });

  it('publishes again at once what a relay that died mid-publish had claimed', async () => {
    await write(50);
    const dying = await relay(bus([]), 60_000);
    dying.wake();
    await sleep(300);
    // The process dies: its connection goes, and PostgreSQL rolls its transaction back.
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'`, [db.name]);
    await admin.end();
    const published: string[] = [];
    await drain(await relay(bus(published, 0)));
    expect(published).toHaveLength(50);
  });

  it('gives each message its type, ids and the trace context of the request that wrote it as attributes, on Pub/Sub', async () => {
    // The real bus on the emulator: the attributes as a subscriber receives them.
    const { EVENTS_NAMESPACE: namespace, GOOGLE_CLOUD_PROJECT: projectId } = testBusEnv();
    const topic = topicOf('applicants.applicant-created.v1', namespace);
    const pubsub = new PubSub({ projectId });
    const eventBus = new PubSubBus({ projectId, ordering: false, maxStreams: 1, maxOutstanding: 100 });
    await eventBus.provision([], [topic]);
    const [subscription] = await pubsub.topic(topic).createSubscription(`${topic}.attributes`);
    const received: { attributes: Record<string, string>; data: string }[] = [];
    subscription.on('message', (m: Message) => {
      received.push({ attributes: m.attributes, data: m.data.toString() });
      m.ack();
    });
    const traced = new Outbox(writer, 'applicants', namespace);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const writeOne = () => writer.transaction(() => traced.publish({ schema: ApplicantCreatedSchema, payload: create(ApplicantCreatedSchema, {}), aggregateId: uuidv7(), aggregateVersion: 1 }));
    try {
      const [tracedId] = await runWithLogContext({ traceparent }, writeOne);
      const [untracedId] = await writeOne();
      await drain(await relay(eventBus));
      for (let i = 0; i < 100 && received.length < 2; i++) await sleep(100);
      const byId = new Map(received.map((m) => [m.attributes.eventId, m]));
      const event = { type: 'applicants.applicant-created.v1', aggregateId: expect.any(String) };
      expect(byId.get(tracedId)?.attributes).toEqual({ ...event, eventId: tracedId, traceparent });
      expect(byId.get(untracedId)?.attributes).toEqual({ ...event, eventId: untracedId });
      expect(JSON.parse(byId.get(tracedId)!.data)).toMatchObject({ eventId: tracedId, aggregateId: byId.get(tracedId)!.attributes.aggregateId, traceparent });
    } finally {
      await subscription.close();
      await eventBus.close();
      await pubsub.close();
    }
  });
});
