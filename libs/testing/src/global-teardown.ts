import { Client } from 'pg';
import { EMULATOR_PID_ENV, TEMPLATE_ENV, adminDatabaseUrl } from './env';

export default async function teardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (template) {
    const client = new Client({ connectionString: adminDatabaseUrl() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await client.end();
  }
  const pid = Number(process.env[EMULATOR_PID_ENV]);
  if (pid) {
    // The emulator runs as a process group (gcloud wrapper + Java); end the group we started.
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
