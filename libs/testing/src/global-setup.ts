import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { EMULATOR_PID_ENV, TEMPLATE_ENV, adminDatabaseUrl } from './env';
import { freePort } from './net';

const root = path.resolve(__dirname, '../../..');

async function checkPostgres(): Promise<void> {
  const client = new Client({ connectionString: adminDatabaseUrl(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    throw new Error(
      `Integration tests need PostgreSQL at ${adminDatabaseUrl()} (set TEST_DATABASE_URL to use another server): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

async function startPubSubEmulator(): Promise<void> {
  try {
    execFileSync('gcloud', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'PUBSUB_EMULATOR_HOST is unset and gcloud is not installed: install the Google Cloud CLI with the ' +
        '"pubsub-emulator" component (Debian: google-cloud-cli-pubsub-emulator), or point PUBSUB_EMULATOR_HOST at a running emulator.',
    );
  }
  const port = await freePort();
  const child = spawn('gcloud', ['beta', 'emulators', 'pubsub', 'start', `--host-port=127.0.0.1:${port}`, '--project=pace-test', '--quiet'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Pub/Sub emulator did not start within 60 s')), 60_000);
    const onData = (chunk: Buffer) => {
      if (chunk.toString().includes('Server started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the Pub/Sub emulator exited with ${code}`)));
  });
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  child.unref();
  process.env.PUBSUB_EMULATOR_HOST = `127.0.0.1:${port}`;
  process.env[EMULATOR_PID_ENV] = String(child.pid);
}

/** Once per `npm test`: build, migrate a template database, start the Pub/Sub emulator. */
export default async function setup(): Promise<void> {
  await checkPostgres();
  execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: 'inherit' });
  const template = `pace_test_tpl_${process.pid}`;
  execFileSync(process.execPath, [path.join(root, 'dist/scripts/db.js'), 'template', template], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ADMIN_DATABASE_URL: adminDatabaseUrl() },
  });
  process.env[TEMPLATE_ENV] = template;
  process.env.METADATA_SERVER_DETECTION = 'none';
  if (!process.env.PUBSUB_EMULATOR_HOST) await startPubSubEmulator();
}
