import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createDataSource, Db } from '@pace/database';
import { Outbox } from '@pace/events';
import { ImportUsageError, type ImportResult } from '@pace/import';
import type { ServiceDefinition } from '@pace/platform';
import { importApplicants } from '../services/applicants/src/import/applicants.importer';
import { BatchAlreadyRolledBackError, rollbackApplicantsBatch } from '../services/applicants/src/import/applicants.rollback';
import { applicantsService } from '../services/applicants/src/service';
import { importListings } from '../services/listings/src/import/listings.importer';
import { ListingsBatchAlreadyRolledBackError, rollbackListingsBatch } from '../services/listings/src/import/listings.rollback';
import { listingsService } from '../services/listings/src/service';

const USAGE = `usage:
  npm run import -- salesforce --entity applicants|listings --file export.csv [--mapping map.json] [--dry-run] [--report report.csv] [--agent <user-id>] [--batch-size 1000]
  npm run import -- rollback --batch <batch-id>
environment: DATABASE_URL (the pace database; records go into the owning service's schema), EVENTS_NAMESPACE (optional)`;

/**
 * The Salesforce/Propertybase migration. Writes through the owning service's own import code
 * (applicants: services/applicants/src/import, listings: services/listings/src/import), into its
 * schema and its outbox; the running service's relay publishes the events (it hears the outbox
 * NOTIFY). Exit codes: 0 done, 1 failed (nothing of the failing batch was written), 2 bad usage.
 */
function parseArgs(argv: string[]): { command: string; flags: Map<string, string | true> } {
  const [command, ...rest] = argv;
  const flags = new Map<string, string | true>();
  const known = new Set(['entity', 'file', 'mapping', 'dry-run', 'report', 'agent', 'batch-size', 'batch']);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) throw new ImportUsageError(`unexpected argument "${arg}"\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (!known.has(name)) throw new ImportUsageError(`unknown option --${name}\n${USAGE}`);
    if (name === 'dry-run') flags.set(name, true);
    else {
      const value = inline ?? rest[++i];
      if (value === undefined || value.startsWith('--')) throw new ImportUsageError(`--${name} needs a value\n${USAGE}`);
      flags.set(name, value);
    }
  }
  return { command: command ?? '', flags };
}

async function withService<T>(service: ServiceDefinition, work: (db: Db, outbox: Outbox) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new ImportUsageError('DATABASE_URL is missing: point it at the pace database (postgres://user@host:5432/pace)');
  // Three connections: the scratch keys' session, the batch committing, the next batch's look-ups.
  const dataSource = createDataSource(service.db, url, 3);
  await dataSource.initialize();
  try {
    const db = new Db(dataSource);
    return await work(db, new Outbox(db, service.name, process.env.EVENTS_NAMESPACE ?? ''));
  } finally {
    await dataSource.destroy();
  }
}

const str = (flags: Map<string, string | true>, name: string) => {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
};

async function salesforce(flags: Map<string, string | true>): Promise<ImportResult> {
  const entity = str(flags, 'entity');
  const file = str(flags, 'file');
  if (entity !== 'applicants' && entity !== 'listings') throw new ImportUsageError(`--entity must be applicants or listings${entity ? `, not "${entity}"` : ''}\n${USAGE}`);
  if (!file) throw new ImportUsageError(`--file is required\n${USAGE}`);
  if (!existsSync(file)) throw new ImportUsageError(`${file}: no such file`);
  const mappingFile = str(flags, 'mapping');
  if (mappingFile && !existsSync(mappingFile)) throw new ImportUsageError(`mapping ${mappingFile}: no such file`);
  const batchSize = Number(str(flags, 'batch-size') ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw new ImportUsageError('--batch-size must be a whole number from 1 to 5000');
  const options = { file, mappingFile, dryRun: flags.get('dry-run') === true, reportFile: str(flags, 'report'), batchSize };
  if (entity === 'applicants') return withService(applicantsService, (db, outbox) => importApplicants(db, outbox, options));
  return withService(listingsService, (db, outbox) => importListings(db, outbox, { ...options, agentId: str(flags, 'agent') }));
}

async function rollback(flags: Map<string, string | true>): Promise<void> {
  const batchId = str(flags, 'batch');
  if (!batchId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(batchId)) throw new ImportUsageError(`--batch <batch id> is required (the id the import printed)\n${USAGE}`);
  const result =
    (await withService(applicantsService, (db, outbox) => rollbackApplicantsBatch(db, outbox, batchId))) ??
    (await withService(listingsService, (db, outbox) => rollbackListingsBatch(db, outbox, batchId)));
  if (!result) throw new ImportUsageError(`no import batch ${batchId} (neither applicants nor listings)`);
  console.log(`Rolled back ${result.entity} batch ${batchId}: deleted ${result.deleted} record(s)${result.unlinked ? `, removed ${result.unlinked} duplicate link(s)` : ''}`);
}

async function main(): Promise<void> {
  const { command, flags } = parseArgs(process.argv.slice(2));
  if (command === 'salesforce') await salesforce(flags);
  else if (command === 'rollback') await rollback(flags);
  else throw new ImportUsageError(`${command ? `unknown command "${command}"` : 'no command'}\n${USAGE}`);
}

main().catch((error: unknown) => {
  if (error instanceof ImportUsageError || error instanceof BatchAlreadyRolledBackError || error instanceof ListingsBatchAlreadyRolledBackError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error('import failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
