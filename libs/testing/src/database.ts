import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { quoteIdent, withDatabase } from '@pace/database';
import { TEMPLATE_ENV, adminDatabaseUrl } from './env';

export interface TestDatabase {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file, cloned from the migrated template (fast: a file copy, no
 * migrations). Files running in parallel each get their own, so they never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} is unset: run integration tests through jest (its global setup makes the template)`);
  const name = `pace_t_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`));
  return {
    name,
    url: withDatabase(adminDatabaseUrl(), name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).then(() => undefined),
  };
}
