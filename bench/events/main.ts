import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { create } from '@bufbuild/protobuf';
import { Logger } from '@nestjs/common';
import { type Message, PubSub } from '@google-cloud/pubsub';
import { Client, Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ApplicantCreatedSchema } from '@pace/contracts';
import { Db, createDataSource, quoteIdent, runMigrations, withDatabase } from '@pace/database';
import { DEFAULT_BATCH_SIZE, EventsServer, Outbox, OutboxRelay, PubSubBus, encodeEnvelope, topicOf } from '@pace/events';
import { adminDatabaseUrl, startPubSubEmulator } from '@pace/testing';
import { applicantsService } from '../../services/applicants/src/service';
import { telephonyService } from '../../services/telephony/src/service';
import { cpuMs } from '../proc';
import { PROFILE_DIR, profileStart, profileStop } from './profile';

/**
 * Event throughput on the Pub/Sub emulator, in one run:
 *   raw       — @google-cloud/pubsub publish → streaming pull, ack (the baseline)
 *   transport — our PubSubBus publish → EventsServer (validation, handler dispatch), no database
 *   pipeline  — Outbox rows committed → relay → PubSubBus → EventsServer → handler + inbox row, each in a transaction
 *   split     — the same pipeline with the consumer in a process of its own (consumer.ts, forked once, long-lived), as deployed:
 *               producer and consumer are different services; here they still share the 2 cores
 *   floor     — raw publish → subscribe plus the least SQL each event needs, with bare pg: outbox rows
 *               inserted 100 per transaction, claimed and marked sent 1000 at a time, and each
 *               event's inbox row in a transaction of its own before the ack (no framework)
 * Usage: npm run build && node dist/bench/events/main.js [events=20000]   (BENCH_ROUNDS=3 interleaved rounds; medians)
 * BENCH_CASES=transport (comma-separated) runs only those cases, e.g. under `node --cpu-prof`.
 * Uncounted raw, transport, pipeline and split runs warm the emulator and the code up first (BENCH_WARMUP=0 skips them).
 * BENCH_PROFILE=<dir> writes a CPU profile of each timed interval only (`<case>-<round>.cpuprofile`, and
 * `split-<round>-consumer.cpuprofile` from the consumer process).
 * CPU per event is printed for this process, the emulator (started here, or the process group
 * BENCH_EMULATOR_PID with PUBSUB_EMULATOR_HOST) and the scratch database's PostgreSQL backends.
 */
const N = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STREAMS = 8;
const OUTSTANDING = 10_000;
const CASES = (process.env.BENCH_CASES ?? 'raw,transport,pipeline,split,floor,floorbatch').split(',');
type Case = 'raw' | 'transport' | 'pipeline' | 'split' | 'floor' | 'floorbatch';
const ALL: Case[] = ['raw', 'transport', 'pipeline', 'split', 'floor', 'floorbatch'];
const runs = (c: string) => CASES.includes(c);
const WARMUP = process.env.BENCH_WARMUP !== '0';

/**
 * Events/s, and CPU per event (user + system µs) over the same interval: this process's; the
 * emulator's (when this bench started it, or BENCH_EMULATOR_PID names it); the PostgreSQL backends'
 * of the scratch database (pipeline, split: the server is local); the split case's consumer process.
 */
interface Result {
  rate: number;
  cpu: number;
  emulator?: number;
  postgres?: number;
  consumer?: number;
}

/** The processes of a process group (the emulator: gcloud's wrapper and its JVM). */
function processGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      if (Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[2]) === pgid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

let emulatorPids: number[] = [];

/**
 * CPU of other processes over a timed interval: the emulator's, and that of the backends of one
 * database (sampled every 200 ms, so a backend that ends mid-run still counts up to its last sample).
 */
class OtherCpu {
  private readonly start = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly emulatorStart: number;
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;

  private constructor(
    private readonly admin?: Client,
    private readonly database?: string,
    private readonly consumerPid?: number,
  ) {
    this.emulatorStart = this.emulatorMs();
  }

  static async begin(admin?: Client, database?: string, consumerPid?: number): Promise<OtherCpu> {
    const meter = new OtherCpu(admin, database, consumerPid);
    if (consumerPid) meter.start.set(-consumerPid, cpuMs([consumerPid]) ?? 0);
    if (admin && database) {
      await meter.sample(true);
      meter.timer = setInterval(() => {
        meter.sampling = meter.sample(false);
      }, 200);
    }
    return meter;
  }

  private emulatorMs(): number {
    return emulatorPids.reduce((sum, pid) => sum + (cpuMs([pid]) ?? 0), 0);
  }

  private async sample(first: boolean): Promise<void> {
    const rows: { pid: number }[] = (await this.admin!.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.database])).rows;
    for (const { pid } of rows) {
      const ms = cpuMs([pid]);
      if (ms === undefined) continue;
      // A backend first seen after the start began within the interval: all of its CPU counts.
      if (!this.start.has(pid)) this.start.set(pid, first ? ms : 0);
      this.last.set(pid, ms);
    }
  }

  async end(): Promise<Pick<Result, 'emulator' | 'postgres' | 'consumer'>> {
    const out: Pick<Result, 'emulator' | 'postgres' | 'consumer'> = {};
    if (emulatorPids.length) out.emulator = ((this.emulatorMs() - this.emulatorStart) * 1000) / N;
    if (this.consumerPid) out.consumer = (((cpuMs([this.consumerPid]) ?? 0) - this.start.get(-this.consumerPid)!) * 1000) / N;
    if (this.admin && this.database) {
      clearInterval(this.timer);
      await this.sampling;
      await this.sample(false);
      let ms = 0;
      for (const [pid, last] of this.last) ms += last - this.start.get(pid)!;
      out.postgres = (ms * 1000) / N;
    }
    return out;
  }
}

async function resultSince(started: number, cpuBefore: NodeJS.CpuUsage, others: OtherCpu): Promise<Result> {
  const seconds = (Date.now() - started) / 1000;
  const used = process.cpuUsage(cpuBefore);
  return { rate: N / seconds, cpu: (used.user + used.system) / N, ...(await others.end()) };
}

/** Set by the rounds loop: the name of the profile of the case about to run ('' during warm-up). */
let profileName = '';

function payloadData(i: number): { data: string; id: string; eventId: string } {
  const id = uuidv7();
  const eventId = uuidv7();
  const payload = create(ApplicantCreatedSchema, { applicant: { id, firstName: `Bench${i}`, lastName: 'Events', phones: ['+971501234567'], version: 1n } });
  const data = encodeEnvelope(ApplicantCreatedSchema, payload, {
    eventId,
    type: 'applicants.applicant-created.v1',
    aggregateId: id,
    aggregateVersion: 1,
    occurredAt: new Date(),
    producer: 'bench',
    traceparent: '',
  });
  return { data, id, eventId };
}

async function raw(pubsub: PubSub, ns: string): Promise<Result> {
  const topicName = `${ns}raw`;
  const [topic] = await pubsub.createTopic(topicName);
  const [sub] = await topic.createSubscription(`${topicName}.sub`);
  const messages = Array.from({ length: N }, (_, i) => payloadData(i).data);
  const subscription = pubsub.subscription(sub.name, { flowControl: { maxMessages: OUTSTANDING, allowExcessMessages: false }, streamingOptions: { maxStreams: STREAMS } });
  let received = 0;
  await profileStart(profileName);
  const others = await OtherCpu.begin();
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const done = new Promise<void>((resolve) =>
    subscription.on('message', (m: Message) => {
      JSON.parse(m.data.toString());
      m.ack();
      if (++received === N) resolve();
    }),
  );
  const batched = pubsub.topic(topicName, { batching: { maxMessages: 1000, maxMilliseconds: 10 } });
  await Promise.all(messages.map((data) => batched.publishMessage({ data: Buffer.from(data), attributes: { type: 'applicants.applicant-created.v1' } })));
  await done;
  const result = await resultSince(started, cpuBefore, others);
  await profileStop();
  await subscription.close();
  return result;
}

async function transport(ns: string): Promise<Result> {
  const bus = new PubSubBus({ projectId: 'pace-bench', ordering: false, maxStreams: STREAMS, maxOutstanding: OUTSTANDING });
  const server = new EventsServer({ service: 'bench-transport', bus, namespace: ns, maxDeliveryAttempts: 5, provision: true });
  let received = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  server.addHandler('applicants.applicant-created.v1', async () => {
    if (++received === N) resolveDone();
  }, true);
  await new Promise<void>((resolve, reject) => void server.listen((error) => (error ? reject(error) : resolve())));
  const topic = topicOf('applicants.x', ns);
  const messages = Array.from({ length: N }, (_, i) => payloadData(i)).map((p) => ({ topic, data: p.data, attributes: { type: 'applicants.applicant-created.v1', eventId: p.eventId } }));
  await profileStart(profileName);
  const others = await OtherCpu.begin();
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  await bus.publish(messages);
  await done;
  const result = await resultSince(started, cpuBefore, others);
  await profileStop();
  await server.close();
  await bus.close();
  return result;
}

let consumerProcess: ChildProcess | undefined;

/** Sends the consumer process one request (consumer.ts) and waits for its answer. */
function askConsumer(child: ChildProcess, request: object): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the consumer process exited (${code})`));
    child.once('exit', exited);
    child.once('message', () => {
      child.off('exit', exited);
      resolve();
    });
    child.send(request);
  });
}

/**
 * The consumer of `split`: a Node process of its own, forked once and reused by every round (a
 * deployed consumer is long-lived: its code is compiled before round 1, as the producer's is),
 * subscribed to this round's database and namespace before the clock starts.
 */
async function startConsumer(url: string, ns: string): Promise<ChildProcess> {
  if (!consumerProcess) {
    const child = fork(path.join(__dirname, 'consumer.js'), [], {
      env: { ...process.env, BENCH_STREAMS: String(STREAMS), BENCH_OUTSTANDING: String(OUTSTANDING) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the consumer process exited (${code}) before it was up`)));
    });
    consumerProcess = child;
  }
  await askConsumer(consumerProcess, { start: { url, namespace: ns } });
  return consumerProcess;
}

/** Starts (a name) or stops and writes (empty) the consumer process's profile, under BENCH_PROFILE. */
async function profileConsumer(child: ChildProcess, name: string): Promise<void> {
  if (!PROFILE_DIR || !profileName) return;
  await askConsumer(child, { profile: name });
}

interface Scratch {
  name: string;
  url: string;
  admin: Client;
  /** Migrated: the applicants schema (its outbox) and the telephony schema (its inbox). */
  producerDs: DataSource;
  consumerDs: DataSource;
}

/** A scratch database on the local PostgreSQL for one run, dropped afterwards. */
async function withScratchDatabase(work: (scratch: Scratch) => Promise<Result>): Promise<Result> {
  const name = `pace_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  const url = withDatabase(adminDatabaseUrl(), name);
  const producerDs = createDataSource(applicantsService.db, url, 10);
  const consumerDs = createDataSource(telephonyService.db, url, 20);
  try {
    await producerDs.initialize();
    await consumerDs.initialize();
    await runMigrations(producerDs);
    await runMigrations(consumerDs);
    return await work({ name, url, admin, producerDs, consumerDs });
  } finally {
    await producerDs.destroy().catch(() => undefined);
    await consumerDs.destroy().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.end();
  }
}

function pipeline(ns: string, split = false): Promise<Result> {
  return withScratchDatabase(async ({ name, url, admin, producerDs, consumerDs }) => {
    const producerDb = new Db(producerDs);
    const consumerDb = new Db(consumerDs);
    const bus = new PubSubBus({ projectId: 'pace-bench', ordering: false, maxStreams: STREAMS, maxOutstanding: OUTSTANDING });
    const server = split ? undefined : new EventsServer({ service: 'bench-pipeline', db: consumerDb, bus, namespace: ns, maxDeliveryAttempts: 5, provision: true });
    const consumer = split ? await startConsumer(url, ns) : undefined;
    let handled = 0;
    let resolveDone!: () => void;
    const done = split ? Promise.resolve() : new Promise<void>((resolve) => (resolveDone = resolve));
    server?.addHandler('applicants.applicant-created.v1', async () => {
      if (++handled === N) resolveDone();
    }, true);
    if (server) await new Promise<void>((resolve, reject) => void server.listen((error) => (error ? reject(error) : resolve())));
    await bus.provision([], [topicOf('applicants.x', ns)]);
    const outbox = new Outbox(producerDb, 'applicants', ns);
    const relay = new OutboxRelay(producerDb, bus, { batchSize: 1000, pollMs: 200, leaseMs: 30_000, retentionMs: 3_600_000, listen: false });
    outbox.onCommitted(() => relay.wake());
    await relay.start();
    await profileStart(profileName);
    if (consumer) await profileConsumer(consumer, `${profileName}-consumer`);
    const others = await OtherCpu.begin(admin, name, consumer?.pid);
    const started = Date.now();
    const cpuBefore = process.cpuUsage();
    // Commands commit 100 events per transaction, 4 at a time, while the relay publishes.
    const perTx = 100;
    let next = 0;
    let committed = 0;
    // Which stage lags: events committed / published / handled every 500 ms.
    const timeline = process.env.BENCH_DETAIL
      ? setInterval(() => console.log(`  ${((Date.now() - started) / 1000).toFixed(1)} s: ${committed} committed, ${relay.published} published, ${handled} handled`), 500)
      : undefined;
    const writer = async () => {
      while (next < N) {
        const from = next;
        next += perTx;
        await producerDb.transaction(async () => {
          const events = [];
          for (let i = from; i < Math.min(N, from + perTx); i++) {
            const id = uuidv7();
            events.push({ schema: ApplicantCreatedSchema, payload: create(ApplicantCreatedSchema, { applicant: { id, firstName: `P${i}`, lastName: 'Bench', version: 1n } }), aggregateId: id, aggregateVersion: 1 });
          }
          await outbox.publish(...events);
        });
        committed += Math.min(N, from + perTx) - from;
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    const written = (Date.now() - started) / 1000;
    while (relay.published < N) await new Promise((resolve) => setTimeout(resolve, 10));
    const relayed = (Date.now() - started) / 1000;
    await done;
    if (process.env.BENCH_DETAIL) console.log(`  (all committed to the outbox after ${written.toFixed(2)} s, all published after ${relayed.toFixed(2)} s)`);
    // The handler count leads the inbox commits by a moment: finished is when all N committed.
    for (;;) {
      const inbox = await consumerDs.query('SELECT count(*)::int AS n FROM telephony.inbox');
      if (inbox[0].n === N) break;
      if (inbox[0].n > N) throw new Error(`inbox has ${inbox[0].n} rows, expected ${N}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const result = await resultSince(started, cpuBefore, others);
    await profileStop();
    if (consumer) await profileConsumer(consumer, '');
    clearInterval(timeline);
    await relay.stop();
    await server?.close();
    if (consumer) await askConsumer(consumer, { stop: true });
    await bus.close();
    return result;
  });
}

/**
 * The floor: raw's publish → subscribe plus the SQL every event needs at the least, with bare pg on
 * the pipeline's tables — 4 writers insert outbox rows 100 per transaction, one relay claims up to
 * 1000 pending rows (FOR UPDATE SKIP LOCKED), publishes them and marks them sent in the same
 * transaction, and the consumer commits each event's inbox row in a transaction of its own
 * (BEGIN, INSERT, COMMIT on a pool of 20) before acking it — or, with `inboxBatch` > 1, the rows
 * of up to that many events received within 5 ms in one transaction, as EventsServer batches.
 */
function floor(pubsub: PubSub, ns: string, inboxBatch: number): Promise<Result> {
  return withScratchDatabase(async ({ name, url, admin }) => {
    const topicName = `${ns}floor`;
    const [topic] = await pubsub.createTopic(topicName);
    const [sub] = await topic.createSubscription(`${topicName}.sub`);
    const subscription = pubsub.subscription(sub.name, { flowControl: { maxMessages: OUTSTANDING, allowExcessMessages: false }, streamingOptions: { maxStreams: STREAMS } });
    const batched = pubsub.topic(topicName, { batching: { maxMessages: 1000, maxMilliseconds: 10 } });
    const type = 'applicants.applicant-created.v1';
    const events = Array.from({ length: N }, (_, i) => payloadData(i));
    const pool = new Pool({ connectionString: url, max: 20 });
    const producers = new Pool({ connectionString: url, max: 5 });
    // The database is dropped WITH (FORCE) as soon as the pools end: a connection still closing hears it.
    for (const p of [pool, producers]) p.on('error', () => undefined);
    const inTransaction = async (from: Pool, work: (client: Client) => Promise<void>) => {
      const client = await from.connect();
      try {
        await client.query('BEGIN');
        await work(client);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };
    try {
      let handled = 0;
      let resolveDone!: () => void;
      const done = new Promise<void>((resolve) => (resolveDone = resolve));
      type Received = { m: Message; event: { eventId: string; type: string; aggregateId: string } };
      const commit = (received: Received[]) =>
        inTransaction(pool, async (client) => {
          if (received.length === 1) {
            const { event } = received[0];
            await client.query('INSERT INTO telephony.inbox (event_id, type, aggregate_id) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING', [event.eventId, event.type, event.aggregateId]);
          } else {
            await client.query('INSERT INTO telephony.inbox (event_id, type, aggregate_id) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT (event_id) DO NOTHING', [
              received.map((r) => r.event.eventId),
              received.map((r) => r.event.type),
              received.map((r) => r.event.aggregateId),
            ]);
          }
        }).then(
          () => {
            for (const { m } of received) m.ack();
            handled += received.length;
            if (handled >= N) resolveDone();
          },
          () => received.forEach(({ m }) => m.nack()),
        );
      // With inboxBatch > 1, events arriving within 5 ms share a transaction, as in EventsServer.
      const queue: Received[] = [];
      let timer: NodeJS.Timeout | undefined;
      const flush = () => {
        clearTimeout(timer);
        timer = undefined;
        while (queue.length) void commit(queue.splice(0, inboxBatch));
      };
      subscription.on('message', (m: Message) => {
        queue.push({ m, event: JSON.parse(m.data.toString()) as Received['event'] });
        if (queue.length >= inboxBatch) flush();
        else timer ??= setTimeout(flush, 5);
      });
      await profileStart(profileName);
      const others = await OtherCpu.begin(admin, name);
      const started = Date.now();
      const cpuBefore = process.cpuUsage();
      let next = 0;
      let dirty = false;
      let wake: (() => void) | undefined;
      const writer = async () => {
        while (next < N) {
          const rows = events.slice(next, (next += 100));
          await inTransaction(producers, async (client) => {
            await client.query(
              'INSERT INTO applicants.outbox (id, type, topic, aggregate_id, aggregate_version, data) SELECT id, type, topic, aggregate_id, 1, data FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS r(id, type, topic, aggregate_id, data)',
              [rows.map((r) => r.eventId), rows.map(() => type), rows.map(() => topicName), rows.map((r) => r.id), rows.map((r) => r.data)],
            );
          });
          dirty = true;
          wake?.();
        }
      };
      let sent = 0;
      const relay = async () => {
        while (sent < N) {
          dirty = false;
          let claimed = 0;
          await inTransaction(producers, async (client) => {
            const { rows } = await client.query<{ id: string; data: string }>('SELECT id, data FROM applicants.outbox WHERE sent_at IS NULL ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED');
            claimed = rows.length;
            if (!claimed) return;
            await Promise.all(rows.map((r) => batched.publishMessage({ data: Buffer.from(r.data), attributes: { type } })));
            await client.query('UPDATE applicants.outbox SET sent_at = now() WHERE id = ANY($1::uuid[])', [`{${rows.map((r) => r.id).join(',')}}`]);
          });
          sent += claimed;
          if (!claimed && !dirty) await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      };
      await Promise.all([writer(), writer(), writer(), writer(), relay()]);
      await done;
      const result = await resultSince(started, cpuBefore, others);
      await profileStop();
      return result;
    } finally {
      await subscription.close();
      await pool.end();
      await producers.end();
    }
  });
}

async function main(): Promise<void> {
  process.env.METADATA_SERVER_DETECTION = 'none';
  Logger.overrideLogger(['error', 'warn']);
  let emulatorPid: number | undefined;
  if (!process.env.PUBSUB_EMULATOR_HOST) {
    const emulator = await startPubSubEmulator();
    process.env.PUBSUB_EMULATOR_HOST = emulator.host;
    emulatorPid = emulator.pid;
    emulatorPids = processGroup(emulator.pid);
    console.log(`started the Pub/Sub emulator on ${emulator.host}`);
  } else if (process.env.BENCH_EMULATOR_PID) {
    emulatorPids = processGroup(Number(process.env.BENCH_EMULATOR_PID));
  }
  try {
    const pubsub = new PubSub({ projectId: 'pace-bench' });
    const ns = `b${randomBytes(3).toString('hex')}.`;
    console.log(`${N} events per case; ${STREAMS} streams, ${OUTSTANDING} outstanding, publisher batches of 1000 / 10 ms`);
    // Rounds interleave the three cases, so a machine busy for a while weighs on all of them; medians are compared.
    const rates: Record<Case, number[]> = { raw: [], transport: [], pipeline: [], split: [], floor: [], floorbatch: [] };
    // CPU per event of this process (all cases share the one Node thread with the client library),
    // the emulator and PostgreSQL (which share the other core): steadier than events/s on a
    // machine others load, and what decides the ratios.
    const results: Record<Case, Result[]> = { raw: [], transport: [], pipeline: [], split: [], floor: [], floorbatch: [] };
    const measure = async (c: Case, run: () => Promise<Result>) => {
      profileName = `${c}-${rates[c].length + 1}`;
      const result = await run();
      profileName = '';
      rates[c].push(result.rate);
      results[c].push(result);
    };
    // The emulator (a JVM) runs its first tens of thousands of messages slowly, and our transport,
    // outbox, relay and inbox load and compile their code on first use; a round nobody counts keeps
    // both out of round 1 (a long-running service has paid them long before).
    if (WARMUP) {
      await raw(pubsub, `${ns}w.`);
      if (runs('transport')) await transport(`${ns}w.`);
      if (runs('pipeline')) await pipeline(`${ns}w.`);
      if (runs('split')) await pipeline(`${ns}ws.`, true);
    }
    const us = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(0));
    const describe = (done: Case[], r: (c: Case) => Result) => {
      const field = (label: string, pick: (x: Result) => number | undefined) =>
        done.some((c) => pick(r(c)) !== undefined) ? `; ${label} ${done.map((c) => us(pick(r(c)))).join(' / ')}` : '';
      return `here ${done.map((c) => us(r(c).cpu)).join(' / ')}${field('consumer process', (x) => x.consumer)}${field('emulator', (x) => x.emulator)}${field('PostgreSQL backends', (x) => x.postgres)}`;
    };
    for (let round = 1; round <= ROUNDS; round++) {
      if (runs('raw')) await measure('raw', () => raw(pubsub, `${ns}r${round}.`));
      if (runs('transport')) await measure('transport', () => transport(`${ns}r${round}.`));
      if (runs('pipeline')) await measure('pipeline', () => pipeline(`${ns}r${round}.`));
      if (runs('split')) await measure('split', () => pipeline(`${ns}s${round}.`, true));
      if (runs('floor')) await measure('floor', () => floor(pubsub, `${ns}f${round}.`, 1));
      if (runs('floorbatch')) await measure('floorbatch', () => floor(pubsub, `${ns}fb${round}.`, DEFAULT_BATCH_SIZE));
      const done = ALL.filter((c) => rates[c].length === round);
      console.log(
        `round ${round}/${ROUNDS}: ${done.map((c) => `${c} ${rates[c][round - 1].toFixed(0)}`).join(', ')} events/s ` +
          `(CPU µs per event, ${done.join(' / ')}: ${describe(done, (c) => results[c][round - 1])})`,
      );
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    if (!runs('raw')) return;
    const rawRate = median(rates.raw);
    const labels: Record<Case, [string, string]> = {
      raw: ['raw @google-cloud/pubsub', ''],
      transport: ['our transport', '  (goal ≥ 0.90×)'],
      pipeline: ['outbox→transport→inbox', '  (goal ≥ 0.70×)'],
      split: ['  … consumer in its own process', '  (as deployed; the same 2 cores)'],
      floor: ['floor: raw + bare-pg SQL', '  (an inbox transaction per event)'],
      floorbatch: ['  … inbox batched', `  (≤ ${DEFAULT_BATCH_SIZE} events per inbox transaction, as EventsServer)`],
    };
    console.log(`\nmedians of ${ROUNDS} rounds`);
    for (const c of ALL.filter((c) => rates[c].length)) {
      const rate = median(rates[c]);
      console.log(`${labels[c][0].padEnd(27)}${rate.toFixed(0).padStart(7)} events/s  ${(rate / rawRate).toFixed(2)}×${labels[c][1]}`);
    }
    const measured = ALL.filter((c) => results[c].length);
    const medianOf = (c: Case, pick: (x: Result) => number | undefined) => {
      const values = results[c].map(pick).filter((v): v is number => v !== undefined);
      return values.length ? median(values) : undefined;
    };
    const medians = (c: Case): Result => ({ rate: 0, cpu: medianOf(c, (x) => x.cpu)!, emulator: medianOf(c, (x) => x.emulator), postgres: medianOf(c, (x) => x.postgres), consumer: medianOf(c, (x) => x.consumer) });
    console.log(`CPU µs per event (medians), ${measured.join(' / ')}: ${describe(measured, medians)}`);
    await pubsub.close();
  } finally {
    const consumer = consumerProcess;
    if (consumer) await new Promise((resolve) => consumer.once('exit', resolve).kill('SIGTERM'));
    if (emulatorPid) process.kill(-emulatorPid, 'SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
