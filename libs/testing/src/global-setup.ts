import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { EMULATOR_PID_ENV, TEMPLATE_ENV, adminDatabaseUrl } from './env';
import { startPubSubEmulator } from './emulator';

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
  if (!process.env.PUBSUB_EMULATOR_HOST) {
    const emulator = await startPubSubEmulator();
    process.env.PUBSUB_EMULATOR_HOST = emulator.host;
    process.env[EMULATOR_PID_ENV] = String(emulator.pid);
  }
}
