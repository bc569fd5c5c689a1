import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { create } from '@bufbuild/protobuf';
import { Logger } from '@nestjs/common';
import { type Message, PubSub } from '@google-cloud/pubsub';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { ApplicantCreatedSchema } from '@pace/contracts';
import { Db, createDataSource, quoteIdent, runMigrations, withDatabase } from '@pace/database';
import { EventsServer, Outbox, OutboxRelay, PubSubBus, encodeEnvelope, topicOf } from '@pace/events';
import { adminDatabaseUrl, startPubSubEmulator } from '@pace/testing';
import { applicantsService } from '../../services/applicants/src/service';
import { telephonyService } from '../../services/telephony/src/service';

/**
 * Event throughput on the Pub/Sub emulator, in one run:
 *   raw       — @google-cloud/pubsub publish → streaming pull, ack (the baseline)
 *   transport — our PubSubBus publish → EventsServer (validation, handler dispatch), no database
 *   pipeline  — Outbox rows committed → relay → PubSubBus → EventsServer → handler + inbox row, each in a transaction
 *   split     — the same pipeline with the consumer in a process of its own (consumer.ts), as deployed:
 *               producer and consumer are different services; here they still share the 2 cores
 * Usage: npm run build && node dist/bench/events/main.js [events=20000]   (BENCH_ROUNDS=3 interleaved rounds; medians)
 * BENCH_CASES=transport (comma-separated) runs only those cases, e.g. under `node --cpu-prof`.
 * Uncounted raw and transport runs warm the emulator and the code up first (BENCH_WARMUP=0 skips them).
 */
const N = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STREAMS = 8;
const OUTSTANDING = 10_000;
const CASES = (process.env.BENCH_CASES ?? 'raw,transport,pipeline,split').split(',');
type Case = 'raw' | 'transport' | 'pipeline' | 'split';
const ALL: Case[] = ['raw', 'transport', 'pipeline', 'split'];
const runs = (c: string) => CASES.includes(c);
const WARMUP = process.env.BENCH_WARMUP !== '0';

/** Events/s, and this process's CPU per event (user + system µs) over the same interval. */
interface Result {
  rate: number;
  cpu: number;
}

function resultSince(started: number, cpuBefore: NodeJS.CpuUsage): Result {
  const seconds = (Date.now() - started) / 1000;
  const used = process.cpuUsage(cpuBefore);
  return { rate: N / seconds, cpu: (used.user + used.system) / N };
}

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
  const result = resultSince(started, cpuBefore);
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
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  await bus.publish(messages);
  await done;
  const result = resultSince(started, cpuBefore);
  await server.close();
  await bus.close();
  return result;
}

/** The consumer of `split`: its own Node process, subscribed before the clock starts. */
async function startConsumer(url: string, ns: string): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, 'consumer.js'), [], {
    env: { ...process.env, BENCH_DATABASE_URL: url, BENCH_NAMESPACE: ns, BENCH_STREAMS: String(STREAMS), BENCH_OUTSTANDING: String(OUTSTANDING) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the consumer process exited (${code}) before it was ready`)));
  });
  return child;
}

async function pipeline(ns: string, split = false): Promise<Result> {
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
    const result = resultSince(started, cpuBefore);
    clearInterval(timeline);
    await relay.stop();
    await server?.close();
    if (consumer) await new Promise((resolve) => consumer.once('exit', resolve).kill('SIGTERM'));
    await bus.close();
    return result;
  } finally {
    await producerDs.destroy().catch(() => undefined);
    await consumerDs.destroy().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  process.env.METADATA_SERVER_DETECTION = 'none';
  Logger.overrideLogger(['error', 'warn']);
  let emulatorPid: number | undefined;
  if (!process.env.PUBSUB_EMULATOR_HOST) {
    const emulator = await startPubSubEmulator();
    process.env.PUBSUB_EMULATOR_HOST = emulator.host;
    emulatorPid = emulator.pid;
    console.log(`started the Pub/Sub emulator on ${emulator.host}`);
  }
  try {
    const pubsub = new PubSub({ projectId: 'pace-bench' });
    const ns = `b${randomBytes(3).toString('hex')}.`;
    console.log(`${N} events per case; ${STREAMS} streams, ${OUTSTANDING} outstanding, publisher batches of 1000 / 10 ms`);
    // Rounds interleave the three cases, so a machine busy for a while weighs on all of them; medians are compared.
    const rates: Record<Case, number[]> = { raw: [], transport: [], pipeline: [], split: [] };
    // This process's CPU per event (all cases share the one Node thread with the client library):
    // steadier than events/s on a machine others load, and what the emulator's share leaves us.
    const cpu: Record<Case, number[]> = { raw: [], transport: [], pipeline: [], split: [] };
    const measure = async (c: Case, run: () => Promise<Result>) => {
      const result = await run();
      rates[c].push(result.rate);
      cpu[c].push(result.cpu);
    };
    // The emulator (a JVM) runs its first tens of thousands of messages slowly, and our transport
    // loads and compiles its code on first use; a round nobody counts keeps both out of round 1
    // (a long-running service has paid them long before).
    if (WARMUP) {
      await raw(pubsub, `${ns}w.`);
      if (runs('transport')) await transport(`${ns}w.`);
    }
    for (let round = 1; round <= ROUNDS; round++) {
      if (runs('raw')) await measure('raw', () => raw(pubsub, `${ns}r${round}.`));
      if (runs('transport')) await measure('transport', () => transport(`${ns}r${round}.`));
      if (runs('pipeline')) await measure('pipeline', () => pipeline(`${ns}r${round}.`));
      if (runs('split')) await measure('split', () => pipeline(`${ns}s${round}.`, true));
      const done = ALL.filter((c) => rates[c].length === round);
      console.log(`round ${round}/${ROUNDS}: ${done.map((c) => `${c} ${rates[c][round - 1].toFixed(0)}`).join(', ')} events/s (CPU here ${done.map((c) => `${cpu[c][round - 1].toFixed(0)}`).join(' / ')} µs per event)`);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    if (!['raw', 'transport', 'pipeline'].every(runs)) return;
    const rawRate = median(rates.raw);
    const transportRate = median(rates.transport);
    const pipelineRate = median(rates.pipeline);
    console.log(`\nmedians of ${ROUNDS} rounds`);
    console.log(`raw @google-cloud/pubsub   ${rawRate.toFixed(0).padStart(7)} events/s  1.00×`);
    console.log(`our transport              ${transportRate.toFixed(0).padStart(7)} events/s  ${(transportRate / rawRate).toFixed(2)}×  (goal ≥ 0.90×)`);
    console.log(`outbox→transport→inbox     ${pipelineRate.toFixed(0).padStart(7)} events/s  ${(pipelineRate / rawRate).toFixed(2)}×  (goal ≥ 0.70×)`);
    if (runs('split')) {
      const splitRate = median(rates.split);
      console.log(`  … consumer in its own process ${splitRate.toFixed(0).padStart(7)} events/s  ${(splitRate / rawRate).toFixed(2)}×  (as deployed; the same 2 cores)`);
    }
    console.log(`CPU of this process per event (medians): raw ${median(cpu.raw).toFixed(0)} µs, transport ${median(cpu.transport).toFixed(0)} µs, pipeline ${median(cpu.pipeline).toFixed(0)} µs`);
    await pubsub.close();
  } finally {
    if (emulatorPid) process.kill(-emulatorPid, 'SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
