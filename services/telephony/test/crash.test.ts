import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { type RunningService } from '@pace/platform';
import { type TestDatabase, applicantsOverGrpc, createTestDatabase, freePort, grpcTestEnv, startTestService, stopAll, testBusEnv } from '@pace/testing';
import { telephonyService } from '../src/service';

/**
 * Crash test of the event backbone: the producer (applicants, its own process) is SIGKILLed at
 * random moments while commands run. Afterwards every committed change must have been handled by
 * the consumer (telephony) exactly once in effect, and no event may exist for a change that never
 * committed.
 */
/** Commands the producer must acknowledge; attempts cut short by a kill come on top. */
const COMMANDS = 500;
const CLIENTS = 4;
/** Kills at random moments of the command stream; then the producer stays up so the stream ends on a loaded machine too. */
const KILLS = 8;
const main = path.resolve(__dirname, '../../../dist/services/applicants/src/main.js');

let db: TestDatabase;
let telephony: RunningService;
let bus: Record<string, string>;
let producer: ChildProcess | undefined;
let producerUrl: string;
let producerPort: number;
let grpcEnv: Record<string, string>;
let grpc: ReturnType<typeof applicantsOverGrpc>;

async function query<T>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function startProducer(): Promise<void> {
  producer = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, PUBSUB_EMULATOR_HOST: process.env.PUBSUB_EMULATOR_HOST, METADATA_SERVER_DETECTION: 'none', DATABASE_URL: db.url, PORT: String(producerPort), LOG_LEVEL: 'error', LOG_PRETTY: 'false', ...bus, ...grpcEnv },
    stdio: 'ignore',
  });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${producerUrl}/health/ready`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('producer did not become ready');
}

function killProducer(): Promise<void> {
  const child = producer;
  producer = undefined;
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  bus = testBusEnv({ OUTBOX_POLL_MS: '200' });
  telephony = await startTestService(telephonyService, { DATABASE_URL: db.url, ...bus });
  producerPort = await freePort();
  producerUrl = `http://127.0.0.1:${producerPort}`;
  grpcEnv = await grpcTestEnv();
  await startProducer();
  // Commands reach the producer as the gateway sends them: gRPC with a signed caller.
  grpc = applicantsOverGrpc(grpcEnv.GRPC_PORT);
});

afterAll(async () => {
  grpc.close();
  await killProducer();
  await stopAll(telephony);
  await db.drop();
});

it('loses no committed event and invents none while the producer is killed at random', async () => {
  let next = 0;
  let acknowledged = 0;
  let failed = 0;
  const created: { id: string; version: number }[] = [];
  let crashes = 0;
  let done = false;

  const client = async (worker: number) => {
    while (acknowledged < COMMANDS) {
      const n = next++;
      try {
        // Every third command edits an applicant made earlier; the rest create new ones.
        const target = n % 3 === 2 ? created[(n * 7) % Math.max(1, created.length)] : undefined;
        if (target) {
          const updated = await grpc.update(target.id, { version: target.version, phones: [`+97150${String(5_000_000 + n).padStart(7, '0')}`] });
          target.version = Number(updated.version);
        } else {
          const made = await grpc.create({ firstName: `Crash${n}`, lastName: `W${worker}`, phones: [`+97155${String(1_000_000 + n).padStart(7, '0')}`] });
          created.push({ id: made.id, version: 1 });
        }
        acknowledged++;
      } catch {
        failed++; // the producer died mid-request: the command may or may not have committed
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  const killer = async () => {
    while (!done && crashes < KILLS) {
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
      if (done) break;
      await killProducer();
      crashes++;
      await startProducer();
      // A fresh channel, as the gateway reconnects; the old one may sit in reconnect backoff.
      grpc.close();
      grpc = applicantsOverGrpc(grpcEnv.GRPC_PORT);
      if (process.env.CRASH_TEST_VERBOSE) console.error(`kill ${crashes}: ${acknowledged} acknowledged so far`);
    }
  };

  const chaos = killer();
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  done = true;
  await chaos;
  if (!producer) await startProducer();

  // Converge: the relay republishes whatever was committed but not yet marked sent.
  const deadline = Date.now() + 60_000;
  let applicants: { id: string; version: string; phones: string[] }[] = [];
  let projected: { applicant_id: string; version: string }[] = [];
  while (Date.now() < deadline) {
    applicants = await query('SELECT id, version::text, phones FROM applicants.applicant ORDER BY id');
    projected = await query('SELECT applicant_id, version::text FROM telephony.applicant_projection ORDER BY applicant_id');
    const pending = await query<{ n: string }>('SELECT count(*)::text AS n FROM applicants.outbox WHERE sent_at IS NULL');
    if (pending[0].n === '0' && JSON.stringify(applicants.map((a) => [a.id, a.version])) === JSON.stringify(projected.map((p) => [p.applicant_id, p.version]))) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const changes = await query<{ n: string }>('SELECT (sum(version))::text AS n FROM applicants.applicant');
  const events = await query<{ aggregate_id: string; n: string }>('SELECT aggregate_id, count(*)::text AS n FROM applicants.outbox GROUP BY aggregate_id');
  const handled = await query<{ event_id: string; aggregate_id: string }>('SELECT event_id, aggregate_id FROM telephony.inbox');
  const directory = await query<{ phone: string; applicant_id: string }>('SELECT phone, applicant_id FROM telephony.phone_directory');

  console.error(
    `crash test: ${next} commands sent, ${acknowledged} acknowledged, ${failed} cut short by a kill, ${crashes} producer SIGKILLs, ` +
      `${applicants.length} applicants committed, ${Number(changes[0].n)} committed changes, ${handled.length} events handled`,
  );
  expect(crashes).toBeGreaterThanOrEqual(3);
  expect(acknowledged).toBeGreaterThanOrEqual(COMMANDS);
  // Every acknowledged create is committed.
  const ids = new Set(applicants.map((a) => a.id));
  for (const c of created) expect(ids.has(c.id)).toBe(true);
  // One event per committed change (version n means n changes), none for anything uncommitted.
  const eventsPerApplicant = new Map(events.map((e) => [e.aggregate_id, Number(e.n)]));
  for (const a of applicants) expect(eventsPerApplicant.get(a.id)).toBe(Number(a.version));
  expect([...eventsPerApplicant.keys()].every((id) => ids.has(id))).toBe(true);
  // Each event handled once (the inbox key is the event id), every change reflected at its latest version.
  expect(handled.length).toBe(Number(changes[0].n));
  expect(projected.map((p) => [p.applicant_id, p.version])).toEqual(applicants.map((a) => [a.id, a.version]));
  const phoneOwner = new Map(directory.map((d) => [d.phone, d.applicant_id]));
  for (const a of applicants) for (const phone of a.phones) expect(phoneOwner.get(phone)).toBe(a.id);
  expect(directory.length).toBe(applicants.reduce((sum, a) => sum + a.phones.length, 0));
}, 360_000);
