import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource, pendingSchemaChanges, quoteIdent, runMigrations, withDatabase } from '@pace/database';
import type { ServiceDefinition } from '@pace/platform';
import { serviceByName, services } from './services';

/**
 * Migration tool.
 *   run [service]            apply pending migrations (DATABASE_URL, or PACE_AI_DATABASE_URL for pace-ai)
 *   generate <service> <Name> write a migration for the difference between entities and migrations
 *   check                    fail when any service's entities and migrations drift apart
 *   template <db>            (re)create database <db> with every service migrated (tests clone it)
 * Scratch databases are made on the server of ADMIN_DATABASE_URL (default: local PostgreSQL).
 */
const adminUrl = process.env.ADMIN_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(name: string): Promise<string> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  return withDatabase(adminUrl, name);
}

async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

async function migrate(service: ServiceDefinition, url: string): Promise<string[]> {
  const ds = createDataSource(service.db, url, 2);
  await ds.initialize();
  try {
    return await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}

async function withScratch<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `pace_scratch_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(name);
  try {
    return await work(url);
  } finally {
    await dropDatabase(name);
  }
}

async function diff(service: ServiceDefinition, url: string): Promise<string[]> {
  await migrate(service, url);
  const ds = createDataSource(service.db, url, 2);
  await ds.initialize();
  try {
    return await pendingSchemaChanges(ds);
  } finally {
    await ds.destroy();
  }
}

interface Query {
  query: string;
  parameters?: unknown[];
}

function migrationSource(className: string, up: Query[], down: Query[]): string {
  const quote = (q: string) => '`' + q.replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${') + '`';
  const lines = (queries: Query[]) =>
    queries.map((q) => `    await queryRunner.query(${quote(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

async function generate(serviceName: string, name: string): Promise<void> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name ?? '')) throw new Error('usage: generate <service> <PascalCaseName>');
  const service = serviceByName(serviceName);
  await withScratch(async (url) => {
    await migrate(service, url);
    const ds = createDataSource(service.db, url, 2);
    await ds.initialize();
    try {
      await ds.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(service.db.service)}`);
      const log = await ds.driver.createSchemaBuilder().log();
      if (!log.upQueries.length) {
        console.log(`${serviceName}: entities and migrations agree; nothing to generate`);
        return;
      }
      const stamp = Date.now();
      const dir = path.resolve('services', serviceName, 'src', 'migrations');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${stamp}-${name}.ts`);
      const up = log.upQueries;
      const down = [...log.downQueries].reverse();
      writeFileSync(file, migrationSource(`${name}${stamp}`, up, down));
      console.log(`wrote ${path.relative(process.cwd(), file)} (${up.length} statements); review it, then commit`);
    } finally {
      await ds.destroy();
    }
  });
}

async function check(): Promise<void> {
  let drift = 0;
  await withScratch(async (url) => {
    for (const service of services) {
      const pending = await diff(service, url);
      if (pending.length) {
        drift++;
        console.error(`${service.name}: entities differ from migrations; run npm run migration:generate -- ${service.name} <Name>`);
        for (const q of pending) console.error(`  ${q}`);
      } else {
        console.log(`${service.name}: no drift`);
      }
    }
  });
  if (drift) process.exit(1);
}

async function template(name: string): Promise<void> {
  const url = await createDatabase(name);
  for (const service of services) {
    if (service.db.database !== 'pace') continue;
    await migrate(service, url);
  }
  console.log(`template ${name} ready`);
}

async function run(only?: string): Promise<void> {
  for (const service of only ? [serviceByName(only)] : services) {
    const url = service.db.database === 'pace_ai' ? process.env.PACE_AI_DATABASE_URL : process.env.DATABASE_URL;
    if (!url) throw new Error(`${service.db.database === 'pace_ai' ? 'PACE_AI_DATABASE_URL' : 'DATABASE_URL'} is missing`);
    const applied = await migrate(service, url);
    console.log(`${service.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
  }
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'run':
      return run(args[0]);
    case 'generate':
      return generate(args[0], args[1]);
    case 'check':
      return check();
    case 'template':
      return template(args[0] ?? 'pace_test_template');
    default:
      throw new Error('usage: db.js run [service] | generate <service> <Name> | check | template [db]');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
