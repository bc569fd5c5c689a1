import type { DataSource } from 'typeorm';

/**
 * Runs a service's pending migrations under a session advisory lock keyed by the schema, so
 * replicas starting together (or a Helm pre-upgrade Job racing a pod) migrate exactly once.
 * Returns the names of the migrations it applied.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const schema = String((dataSource.options as { schema?: string }).schema ?? 'public');
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`pace-migrate:${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`pace-migrate:${schema}`]);
    }
  } finally {
    await runner.release();
  }
}

/** SQL statements that would bring the schema in line with the entities; empty means no drift. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}
