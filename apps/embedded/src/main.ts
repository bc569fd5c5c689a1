import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ConfigError } from '@pace/config';
import { sharedInProcessBus } from '@pace/events';
import { type RunningService, exitOnSignal, startService } from '@pace/platform';
import { localIdentity } from '../../../scripts/local-identity';
import { localPortals } from '../../../scripts/local-portals';
import { localServiceUrls, portOffset } from '../../../scripts/local-env';
import { services } from '../../../scripts/services';
import { PGliteServer } from './pglite-server';

/**
 * `npm start`: every service in one process on an embedded PostgreSQL (PGlite, served over the
 * wire protocol by `PGliteServer` so the services use the same pg driver as in production). Data
 * persists under PACE_DATA_DIR (default `.pace-data/`). Nothing else to install.
 */
const POOL_PER_SERVICE = 4;

async function startDatabase(dir: string, name: string): Promise<{ url: string; stop: () => Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(path.join(dir, name));
  const server = new PGliteServer(db, {
    host: '127.0.0.1',
    port: Number(process.env.PACE_EMBEDDED_DB_PORT ?? 0),
    // Each service's pool, plus the migration runner's connections.
    maxConnections: services.length * POOL_PER_SERVICE + 8,
  });
  const address = await server.start();
  return {
    url: `postgres://postgres@${address}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = path.resolve(process.env.PACE_DATA_DIR ?? '.pace-data');
  const databases = new Map<string, { url: string; stop: () => Promise<void> }>();
  for (const name of new Set(services.map((s) => s.db.database))) {
    databases.set(name, await startDatabase(dataDir, name));
  }
  const running: RunningService[] = [];
  const closers: (() => Promise<void>)[] = [...[...databases.values()].map((d) => d.stop)];
  exitOnSignal(closers, Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 8000));
  const offset = portOffset();
  const bus = sharedInProcessBus();
  bus.hold();
  const gatewayUrl = localServiceUrls(services, offset).GATEWAY_URL;
  const identity = await localIdentity(gatewayUrl);
  closers.push(identity.stop);
  const portals = await localPortals(dataDir, gatewayUrl);
  closers.push(portals.stop);
  for (const service of services) {
    const env = {
      ...localServiceUrls(services, offset),
      ...identity.env,
      ...portals.env,
      ...process.env,
      GRPC_PORT: service.defaultGrpcPort ? String(service.defaultGrpcPort + offset) : undefined,
      PORT: undefined,
      PROCESS_NAME: 'pace',
      DATABASE_URL: databases.get(service.db.database)?.url,
      DATABASE_POOL_SIZE: String(POOL_PER_SERVICE),
      // One process: events go through the in-process bus, with the same outbox and inbox.
      EVENT_BUS: 'memory',
      OUTBOX_LISTEN: 'false',
      // Demo data on first start (services that have some seed it once; PACE_DEMO_DATA=false turns it off).
      PACE_DEMO_DATA: process.env.PACE_DEMO_DATA ?? 'true',
      LISTINGS_MEDIA_DIR: process.env.LISTINGS_MEDIA_DIR ?? path.join(dataDir, 'media'),
    };
    const instance = await startService(service, env, service.defaultPort + offset);
    running.push(instance);
    closers.push(() => instance.app.close());
  }
  bus.open();
  const lines = running.map((s) => `  ${s.name.padEnd(12)} ${s.url}`).join('\n');
  const gateway = running.find((s) => s.name === 'gateway');
  process.stdout.write(
    `\nPACE is running (embedded, data in ${path.relative(process.cwd(), dataDir) || '.'}, started in ${Date.now() - started} ms)\n${lines}\n` +
      `  API          ${gateway?.url}/api/v1/applicants\n${identity.hint}\n  readiness    ${gateway?.url}/health/ready\nCtrl-C to stop.\n\n`,
  );
  // Then the portals (the first start switches them on, which re-evaluates every listing).
  const syndication = running.find((s) => s.name === 'syndication');
  if (syndication) {
    const hint = await portals.configure(syndication.url, identity.env.CALLER_SIGNING_SECRET!).catch((error: Error) => `  portals      not configured: ${error.message}`);
    process.stdout.write(`${hint}\n\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
